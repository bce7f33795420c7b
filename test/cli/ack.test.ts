import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { alertmanagerUrl } from "../../cli/ack";
import { parseArgs } from "../../cli/args";
import { recordRunning } from "../../local/running";
import { BIN } from "../helpers/catalogs";

describe("which Alertmanager ack talks to", () => {
  const savedTmp = process.env.TMPDIR;
  let dir: string;
  let other: ReturnType<typeof spawn>;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "ack-test-"));
    process.env.TMPDIR = dir;
    other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
  });
  after(() => {
    other.kill();
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    rmSync(dir, { recursive: true, force: true });
  });
  const stack = (pid: number, port: number) => ({
    pid,
    alertmanager: `http://127.0.0.1:${port}`,
    prometheus: "http://127.0.0.1:1",
    workDir: "/nonexistent",
  });

  it("with nothing running and nothing set, the local Pulumi stack's port", () => {
    assert.deepEqual(alertmanagerUrl(parseArgs(["X"]), {}), { url: "http://127.0.0.1:9093", from: "default" });
  });

  it("the one running start, ignoring (and removing) records of processes that are gone", () => {
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid;
    recordRunning(stack(gone, 1111));
    recordRunning(stack(process.pid, 2222));
    assert.deepEqual(alertmanagerUrl(parseArgs(["X"]), {}), {
      url: "http://127.0.0.1:2222",
      from: `the local stack of pid ${process.pid}`,
    });
    assert.equal(existsSync(join(dir, `ops-monitoring-${userInfo().uid}`, "running", `${gone}.json`)), false);
  });

  it("ALERTMANAGER_URL before a running start, --alertmanager before both", () => {
    const env = { ALERTMANAGER_URL: "http://am.internal:9093" };
    assert.deepEqual(alertmanagerUrl(parseArgs(["X"]), env), {
      url: "http://am.internal:9093",
      from: "ALERTMANAGER_URL",
    });
    assert.deepEqual(alertmanagerUrl(parseArgs(["X", "--alertmanager", "http://127.0.0.1:3333"]), env), {
      url: "http://127.0.0.1:3333",
      from: "--alertmanager",
    });
  });

  it("two running starts: refused, naming both, rather than silencing the wrong one", () => {
    recordRunning(stack(other.pid!, 4444));
    assert.throws(
      () => alertmanagerUrl(parseArgs(["X"]), {}),
      /2 local stacks are running \(pid \d+: http:\/\/127\.0\.0\.1:2222, pid \d+: http:\/\/127\.0\.0\.1:4444\); pass --alertmanager URL/,
    );
  });
});

describe("ack's command line", () => {
  const ack = (...args: string[]) =>
    spawnSync(BIN, ["ack", ...args], {
      encoding: "utf8",
      env: { ...process.env, ALERTMANAGER_URL: "http://127.0.0.1:9" },
    });

  it("refuses a missing or malformed alert name, a bad --for and unknown options with exit 2", () => {
    for (const [args, message] of [
      [[], /ack takes exactly one ALERTNAME/],
      [["Probe Down"], /"Probe Down" is not an alert name/],
      [["ProbeDown", "--for", "soon"], /--for "soon" is not a duration/],
      [["ProbeDown", "--for", "0s"], /--for "0s" is not a duration/],
      [["ProbeDown", "--sevice", "web"], /unknown option --sevice/],
    ] as Array<[string[], RegExp]>) {
      const r = ack(...args);
      assert.equal(r.status, 2, args.join(" "));
      assert.match(r.stderr, message);
      assert.equal(r.stdout, "");
    }
  });

  it("says which Alertmanager it could not reach and how to pick another, exit 1", () => {
    const r = ack("ProbeDown");
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cannot reach Alertmanager at http:\/\/127\.0\.0\.1:9 \(ALERTMANAGER_URL\)/);
    assert.match(r.stderr, /pass --alertmanager URL or set ALERTMANAGER_URL/);
  });
});
