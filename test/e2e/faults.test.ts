/**
 * Faults of `bin/ops-monitoring start` on real processes: a stalled prober and a hung
 * Alertmanager (SIGSTOP) are noticed and restarted while the stack keeps running; `kill -9`
 * of `start` leaves its work dir, which the next start removes; Ctrl-C during start-up exits
 * 130 within seconds. Work dirs go to a private XDG_RUNTIME_DIR made for this test.
 */
import { strict as assert } from "node:assert";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { alive, descendants, spawnStart, stopStart, until, within, type StartProcess } from "../../local/start-process";
import { promQuery } from "./prometheus-api";

const scratch = mkdtempSync(join(tmpdir(), "faults-e2e-"));
const runtimeDir = join(scratch, "runtime");
mkdirSync(runtimeDir, { mode: 0o700 });
const env = { ...process.env, XDG_RUNTIME_DIR: runtimeDir };

/** PATH with a `prometheus` that never becomes ready, so `start` stays in start-up until interrupted. */
function slowPrometheusEnv(): NodeJS.ProcessEnv {
  const bin = join(scratch, "slow-bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "prometheus"), "#!/bin/sh\nexec sleep 600\n");
  chmodSync(join(bin, "prometheus"), 0o755);
  return { ...env, PATH: `${bin}:${process.env.PATH}` };
}

const started: StartProcess[] = [];
function start(e: NodeJS.ProcessEnv): StartProcess {
  const p = spawnStart([], e);
  started.push(p);
  return p;
}
after(async () => {
  await Promise.all(started.map((p) => stopStart(p)));
  rmSync(scratch, { recursive: true, force: true });
});

/** The pid of the child of `start` whose command line contains `needle`. */
function childWith(p: StartProcess, needle: string): number | undefined {
  return descendants(p.child.pid!).find((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").includes(needle);
    } catch {
      return false;
    }
  });
}

describe("local mode under faults", { timeout: 240_000 }, () => {
  it("notices a stalled prober and a hung Alertmanager through their health endpoints and restarts both", async () => {
    const p = start(env);
    await p.waitForLine(/\bready\b/, 60_000);
    const prom = p.urls.prometheus;
    const blackbox = childWith(p, "blackbox.yml")!;
    const alertmanager = childWith(p, "alertmanager.yml")!;
    assert.ok(blackbox && alertmanager, "blackbox and alertmanager processes found");
    const stoppedAt = Date.now();
    process.kill(blackbox, "SIGSTOP");
    process.kill(alertmanager, "SIGSTOP");
    await p.waitForLine(/blackbox stopped \(hung: .*\/-\/healthy unanswered 3 times in a row\); restarting/, 60_000);
    await p.waitForLine(
      /alertmanager stopped \(hung: .*\/-\/healthy unanswered 3 times in a row\); restarting/,
      60_000,
    );
    console.log(`hangs noticed within ${((Date.now() - stoppedAt) / 1000).toFixed(1)}s`);
    assert.ok(!alive(blackbox) && !alive(alertmanager), "the hung processes are gone");
    await until("alertmanager healthy again", 30_000, async () =>
      (await fetch(`${p.urls.alertmanager}/-/healthy`)).status === 200 ? true : undefined,
    );
    const restartedAt = Date.now() / 1000;
    await until("a fresh successful probe of web through the restarted exporter", 40_000, async () =>
      (
        await promQuery(
          prom,
          `probe_success{job="web-health"} == 1 and timestamp(probe_success{job="web-health"}) > ${restartedAt}`,
        )
      ).length
        ? true
        : undefined,
    );
    assert.equal(p.child.exitCode, null, "start keeps running");
    assert.ok(!p.lines.some((l) => /after \d+ restarts in a row/.test(l)), "no component gave up");
    await stopStart(p);
  });

  it("removes the work dir of a start killed with kill -9 at the next start; Ctrl-C during that start-up exits 130 within seconds", async () => {
    const first = start(env);
    await first.waitForLine(/^ {2}work dir/, 60_000);
    const workDir = first.urls["work dir"];
    assert.ok(workDir.startsWith(join(runtimeDir, "ops-monitoring")), `work dir ${workDir} is under XDG_RUNTIME_DIR`);
    assert.equal(statSync(join(runtimeDir, "ops-monitoring")).mode & 0o777, 0o700);
    assert.equal(statSync(workDir).mode & 0o777, 0o700);
    const children = descendants(first.child.pid!);
    first.child.kill("SIGKILL");
    await first.exited;
    await until("the children of the killed start to exit", 20_000, () => (children.some(alive) ? undefined : true));
    assert.ok(existsSync(workDir), "kill -9 leaves the work dir behind");

    const second = start(slowPrometheusEnv());
    const removed = await second.waitForLine(/removed .* the work dir of a run that ended without cleaning up/, 60_000);
    assert.ok(removed.includes(workDir), removed);
    assert.ok(!existsSync(workDir));
    await second.waitForLine(/^ {2}work dir/, 30_000);
    await until("the never-ready prometheus to be started", 60_000, () =>
      childWith(second, "sleep 600") ? true : undefined,
    );
    const secondChildren = descendants(second.child.pid!);
    const t0 = Date.now();
    second.child.kill("SIGINT");
    const code = await within(second.exited, 30_000);
    const exitMs = Date.now() - t0;
    console.log(`Ctrl-C during start-up: exit ${code} after ${exitMs}ms`);
    assert.equal(code, 130);
    assert.ok(exitMs < 10_000, `exited ${exitMs}ms after SIGINT`);
    assert.ok(second.lines.some((l) => /SIGINT during start-up: stopping every component/.test(l)));
    assert.deepEqual(secondChildren.filter(alive), []);
    assert.deepEqual(readdirSync(join(runtimeDir, "ops-monitoring")), [], "no work dir left behind");
  });
});
