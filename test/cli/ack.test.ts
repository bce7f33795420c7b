import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { alertmanagerTarget } from "../../cli/ack-target";
import { parseArgs } from "../../cli/args";
import { serverText } from "../../cli/http";
import { recordRunning } from "../../local/running";
import { runCli } from "../helpers/cli-in-process";
import { listenOnLoopback } from "../helpers/loopback";

/** Runs the command line in this process with `env` replacing the Alertmanager variables. */
async function cli(argv: string[], env: Record<string, string> = {}) {
  const names = ["ALERTMANAGER_URL", "ALERTMANAGER_TOKEN", "ALERTMANAGER_USER", "ALERTMANAGER_PASSWORD"];
  const saved = Object.fromEntries(names.map((k) => [k, process.env[k]]));
  for (const k of names) delete process.env[k];
  Object.assign(process.env, env);
  try {
    return await runCli(argv);
  } finally {
    for (const k of names) delete process.env[k];
    for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
  }
}

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
  const where = (argv: string[], env: NodeJS.ProcessEnv) => {
    const { endpoint } = alertmanagerTarget(parseArgs(argv), env);
    return { url: endpoint.url, name: endpoint.name, authorization: endpoint.authorization };
  };
  const registry = () => join(dir, `ops-monitoring-${userInfo().uid}`, "running");

  it("with nothing running and nothing set, the local Pulumi stack's port", () => {
    assert.deepEqual(where(["X"], {}), {
      url: "http://127.0.0.1:9093",
      name: "Alertmanager at http://127.0.0.1:9093 (default)",
      authorization: undefined,
    });
  });

  it("the one running start, ignoring (and removing) records of processes that are gone", () => {
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid;
    recordRunning(stack(gone, 1111));
    recordRunning(stack(process.pid, 2222));
    assert.equal(
      where(["X"], {}).name,
      `Alertmanager at http://127.0.0.1:2222 (the local stack of pid ${process.pid})`,
    );
    assert.equal(existsSync(join(registry(), `${gone}.json`)), false);
  });

  it("ALERTMANAGER_URL before a running start, --alertmanager before both; credentials only from the environment", () => {
    const env = { ALERTMANAGER_URL: "http://am.internal:9093", ALERTMANAGER_TOKEN: "t0k" };
    assert.deepEqual(where(["X"], env), {
      url: "http://am.internal:9093",
      name: "Alertmanager at http://am.internal:9093 (ALERTMANAGER_URL)",
      authorization: "Bearer t0k",
    });
    assert.equal(where(["X", "--alertmanager", "http://127.0.0.1:3333"], env).url, "http://127.0.0.1:3333");
    assert.deepEqual(where(["X"], { ALERTMANAGER_URL: "https://ops:p%40ss@am.internal/am/" }), {
      url: "https://am.internal/am",
      name: "Alertmanager at https://am.internal/am (ALERTMANAGER_URL)",
      authorization: `Basic ${Buffer.from("ops:p@ss").toString("base64")}`,
    });
    assert.equal(where(["X"], {}).authorization, undefined, "a running start gets no credentials");
  });

  it("two running starts: refused, naming both, rather than silencing the wrong one", () => {
    recordRunning(stack(other.pid!, 4444));
    assert.throws(
      () => where(["X"], {}),
      /2 local stacks are running \(pid \d+: http:\/\/127\.0\.0\.1:2222, pid \d+: http:\/\/127\.0\.0\.1:4444\); pass --alertmanager URL/,
    );
    rmSync(join(registry(), `${other.pid}.json`));
  });

  it("running-stack records another user could have planted are refused, and nothing is sent to them", async () => {
    let requests = 0;
    const planted = createServer((_req, res) => {
      requests++;
      res.end('{"silenceID":"planted"}');
    });
    const url = await listenOnLoopback(planted);
    try {
      const file = join(registry(), `${process.pid}.json`);
      writeFileSync(file, JSON.stringify({ ...stack(process.pid, 1), alertmanager: url }), { mode: 0o600 });
      chmodSync(registry(), 0o777);
      let r = await cli(["ack", "ProbeDown"]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`${registry()} has mode 0777: group or others may use it; refusing to trust`));
      chmodSync(registry(), 0o700);
      chmodSync(file, 0o666);
      r = await cli(["ack", "ProbeDown"]);
      assert.match(r.stderr, new RegExp(`${file} has mode 0666`));
      chmodSync(file, 0o600);
      if (process.getuid?.() === 0) {
        chownSync(file, 65534, 65534);
        r = await cli(["ack", "ProbeDown"]);
        assert.equal(r.code, 1);
        assert.match(r.stderr, new RegExp(`${file} is owned by uid 65534, not by you`));
      }
      assert.equal(requests, 0);
      assert.equal(r.stdout, "");
    } finally {
      planted.close();
    }
  });
});

describe("ack's command line", () => {
  const ack = (...args: string[]) => cli(["ack", ...args], { ALERTMANAGER_URL: "http://127.0.0.1:9" });

  it("refuses bad names, durations, empty values and unknown options with exit 2, before any request", async () => {
    for (const [args, message] of [
      [[], /ack takes exactly one ALERTNAME/],
      [["Probe Down"], /"Probe Down" is not an alert name/],
      [["ProbeDown", "--for", "soon"], /--for "soon" is not a duration/],
      [["ProbeDown", "--for", "0s"], /--for "0s" is not a duration/],
      [["ProbeDown", "--for", "292y"], /--for 292y is longer than 30d/],
      [["ProbeDown", "--for", "31d"], /--for 31d is longer than 30d/],
      [["ProbeDown", "--sevice", "web"], /unknown option --sevice/],
      [["ProbeDown", "--service", ""], /--service is empty \(an unset variable\?\)/],
      [["ProbeDown", "--service", "web", "--comment", " "], /--comment is empty/],
      [["ProbeDown", "--timeout", "1h"], /--timeout "1h" is not a duration between 1ms and 5m/],
      [["ProbeDown", "--stack", "lcoal"], /--stack "lcoal": no such stack/],
      [["ProbeDown", "--stack", "prod", "--alertmanager", "http://h"], /--stack and --alertmanager name two places/],
      [["--list", "ProbeDown"], /ack --list takes no ALERTNAME/],
    ] as Array<[string[], RegExp]>) {
      const r = await ack(...args);
      assert.equal(r.code, 2, args.join(" "));
      assert.match(r.stderr, message);
      assert.equal(r.stdout, "");
    }
  });

  it("refuses credentials in --alertmanager, and a token with a line break, without printing either", async () => {
    let r = await cli(["ack", "ProbeDown", "--alertmanager", "http://ops:Sup3rSecret@127.0.0.1:9"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--alertmanager must not carry credentials/);
    assert.doesNotMatch(r.stderr, /Sup3rSecret/);
    r = await cli(["ack", "ProbeDown"], {
      ALERTMANAGER_URL: "http://127.0.0.1:9",
      ALERTMANAGER_TOKEN: "Sup3rSecret\r\n",
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /ALERTMANAGER_TOKEN contains a line break or another control character/);
    assert.doesNotMatch(r.stderr, /Sup3rSecret/);
  });

  it("unack takes one silence id", async () => {
    for (const argv of [["unack"], ["unack", "'; rm -rf /"]]) {
      const r = await cli(argv, { ALERTMANAGER_URL: "http://127.0.0.1:9" });
      assert.equal(r.code, 2, argv.join(" "));
    }
  });

  it("says which Alertmanager it could not reach and how to pick another, exit 1, credentials not printed", async () => {
    const r = await cli(["ack", "ProbeDown"], { ALERTMANAGER_URL: "http://ops:Sup3rSecret@127.0.0.1:9" });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot reach Alertmanager at http:\/\/127\.0\.0\.1:9 \(ALERTMANAGER_URL\): /);
    assert.match(r.stderr, /pass --alertmanager URL or set ALERTMANAGER_URL/);
    assert.doesNotMatch(r.stderr, /Sup3rSecret|ops:/);
  });
});

describe("ack against an Alertmanager that misbehaves", () => {
  let server: Server;
  let url: string;
  /** What POST /api/v2/silences answers, per test. */
  let answer: (res: import("node:http").ServerResponse) => void;
  before(async () => {
    server = createServer((req, res) => {
      if (req.method === "GET" && req.url?.startsWith("/api/v2/alerts")) return void res.end("[]");
      if (req.method === "GET" && req.url === "/moved") return void res.end('{"silenceID":"after-redirect"}');
      answer(res);
    });
    url = await listenOnLoopback(server);
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  const ack = (...args: string[]) => cli(["ack", "ProbeDown", "--service", "web", "--alertmanager", url, ...args]);

  it("a 200 without a silence id is a failure, not `undefined`", async () => {
    answer = (res) => res.end("{}");
    const r = await ack();
    assert.equal(r.code, 1);
    assert.match(r.stderr, /accepted the silence but returned no silence id/);
    assert.equal(r.stdout, "");
  });

  it("a 301 (which fetch would follow as a GET) is a failure naming the redirect", async () => {
    answer = (res) => {
      res.writeHead(301, { location: "/moved" });
      res.end();
    };
    const r = await ack();
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(`answered /api/v2/silences with HTTP 301, a redirect to ${url}/moved; use the final URL`),
    );
    assert.equal(r.stdout, "");
  });

  it("a server that never answers fails after --timeout", async () => {
    answer = () => {};
    const started = process.hrtime.bigint();
    const r = await ack("--timeout", "300ms");
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    assert.equal(r.code, 1);
    assert.match(r.stderr, /did not answer within 0\.3s/);
    assert.ok(seconds < 5, `took ${seconds}s`);
  });

  it("an answer over 16 MiB is refused without reading it all", async () => {
    answer = (res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(2 ** 20, "x");
      for (let i = 0; i < 20; i++) res.write(chunk);
      res.end();
    };
    const r = await ack();
    assert.equal(r.code, 1);
    assert.match(r.stderr, /answered \/api\/v2\/silences with more than 16 MiB/);
  });

  it("a huge refusal with terminal escapes is printed cut short and without control characters", async () => {
    answer = (res) => {
      res.writeHead(500);
      res.end(`\x1b]0;pwned\x07\x1b[31mbad matcher\x1b[0m\r\n${"x".repeat(100_000)}`);
    };
    const r = await ack();
    assert.equal(r.code, 1);
    assert.match(r.stderr, /refused \/api\/v2\/silences: HTTP 500 bad matcher x+… \(100012 characters\)/);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(r.stderr, /[\x00-\x09\x0b-\x1f]/);
    assert.ok(r.stderr.length < 1000, `${r.stderr.length} characters`);
  });
});

describe("server text made printable", () => {
  it("drops escape sequences and control characters and cuts long text naming its length", () => {
    assert.equal(serverText("\x1b[1;31mred\x1b[0m\ttab\x00nul\x9bcsi"), "red tab nul csi");
    assert.equal(serverText("a".repeat(10), 4), "aaaa… (10 characters)");
  });
});
