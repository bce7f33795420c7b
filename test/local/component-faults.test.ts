/**
 * Faults of one supervised component, on real processes: a hung blackbox exporter (SIGSTOP)
 * is noticed through /-/healthy and restarted, the restart budget resets after stable
 * uptime, and a port held for a few seconds delays a component without stopping it.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { findBinaries } from "../../local/binaries";
import { answers200, Component, type ComponentOptions, type ComponentSpec } from "../../local/component";
import { freePorts } from "../../local/supervisor";
import { createWorkDir, removeStaleWorkDirs, retire, workBase } from "../../local/work-dir";

const blackbox = findBinaries().blackbox;
assert.ok(blackbox, "prometheus-blackbox-exporter (or blackbox_exporter) must be on PATH");
const dir = mkdtempSync(join(tmpdir(), "component-faults-"));
writeFileSync(join(dir, "blackbox.yml"), "modules:\n  http_2xx:\n    prober: http\n");
after(() => rmSync(dir, { recursive: true, force: true }));

function blackboxSpec(port: number): ComponentSpec {
  const base = `http://127.0.0.1:${port}`;
  return {
    name: "blackbox",
    command: blackbox!,
    args: [`--config.file=${join(dir, "blackbox.yml")}`, `--web.listen-address=127.0.0.1:${port}`],
    readyUrl: `${base}/-/ready`,
    healthUrl: `${base}/-/healthy`,
    logFile: join(dir, `blackbox-${port}.log`),
  };
}

function supervised(spec: ComponentSpec, supervision: ComponentOptions["supervision"]) {
  const logs: string[] = [];
  let gaveUp: Error | undefined;
  const c = new Component(spec, { log: (l) => logs.push(l), supervision, onGiveUp: (e) => (gaveUp = e) });
  return { c, logs, gaveUp: () => gaveUp };
}

async function until(what: string, timeoutMs: number, ok: () => boolean | Promise<boolean>): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (await ok()) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
}

describe("a supervised component", () => {
  it("that hangs without exiting (SIGSTOP) fails its health checks, is killed and restarted", async () => {
    const [port] = await freePorts(1);
    const { c, logs, gaveUp } = supervised(blackboxSpec(port), {
      healthEveryMs: 200,
      healthTimeoutMs: 300,
      healthFailures: 3,
      backoffMs: 100,
    });
    c.start();
    try {
      await c.waitReady(15_000);
      const hung = c.pid!;
      process.kill(hung, "SIGSTOP");
      const noticedMs = await until("the restart", 20_000, () => c.pid !== undefined && c.pid !== hung);
      console.log(`hang noticed and restarted after ${noticedMs}ms`);
      assert.match(
        logs.join("\n"),
        /blackbox does not answer http:\/\/127\.0\.0\.1:\d+\/-\/healthy \(3 checks, 0\.3s timeout each\); killing it/,
      );
      assert.match(
        logs.join("\n"),
        /blackbox stopped \(hung: .*\/-\/healthy unanswered 3 times in a row\); restarting in 100ms \(1\/5\)/,
      );
      await until("the restarted exporter to answer", 15_000, () => answers200(`http://127.0.0.1:${port}/-/healthy`));
      assert.equal(gaveUp(), undefined);
    } finally {
      await c.stop(2000);
    }
  });

  it("gets a fresh restart budget after running stably, and gives up on one that never does", async () => {
    const script = (ms: number) => ({
      name: "short-lived",
      command: "sh",
      args: ["-c", `sleep ${ms / 1000}; exit 1`],
      readyUrl: "http://127.0.0.1:1/",
      logFile: join(dir, `s-${ms}.log`),
    });
    const stable = supervised(script(300), { maxRestarts: 2, backoffMs: 20, stableMs: 200 });
    const flapping = supervised(script(0), { maxRestarts: 2, backoffMs: 20, stableMs: 200 });
    stable.c.start();
    flapping.c.start();
    try {
      await until("five restarts of the stable one", 15_000, () => stable.logs.length >= 5);
      assert.equal(stable.gaveUp(), undefined);
      assert.ok(
        stable.logs.every((l) => l.includes("(1/2)")),
        stable.logs.join("\n"),
      );
      await until("the flapping one to give up", 15_000, () => flapping.gaveUp() !== undefined);
      assert.match(flapping.gaveUp()!.message, /short-lived stopped \(exit code 1\) after 2 restarts in a row/);
      assert.match(flapping.logs[1], /restarting in 40ms \(2\/2\)/, "back-off doubles");
    } finally {
      await Promise.all([stable.c.stop(500), flapping.c.stop(500)]);
    }
  });

  it("whose port is held by another process for 3s starts once the port is free, with the default back-off", async () => {
    const [port] = await freePorts(1);
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(port, "127.0.0.1", r));
    const { c, logs, gaveUp } = supervised(blackboxSpec(port), {});
    c.start();
    setTimeout(() => holder.close(), 3000);
    try {
      await c.waitReady(30_000);
      assert.equal(gaveUp(), undefined);
      assert.ok(logs.length >= 2, `restarted while the port was held:\n${logs.join("\n")}`);
      assert.match(logs[0], /blackbox stopped \(exit code 1\); restarting in 500ms \(1\/5\)/);
    } finally {
      holder.close();
      await c.stop(2000);
    }
  });
});

describe("local work dirs", () => {
  it("live in a private base dir, and only those of dead runs are removed at the next start", () => {
    const base = mkdtempSync(join(tmpdir(), "xdg-"));
    const env = { XDG_RUNTIME_DIR: base };
    try {
      const root = workBase(env);
      assert.equal(root, join(base, "ops-monitoring"));
      assert.equal(statSync(root).mode & 0o777, 0o700);
      const mine = createWorkDir(undefined, () => {}, env);
      assert.equal(statSync(mine.root).mode & 0o777, 0o700);
      const [dead, reused, kept] = [1, 2, 3].map(() => createWorkDir(undefined, () => {}, env));
      writeFileSync(join(dead.root, "pid"), "2147483646 1\n");
      writeFileSync(join(dead.secrets, "slackWebhookUrl"), "https://hooks.example/s3cr3t", { mode: 0o600 });
      writeFileSync(join(reused.root, "pid"), `${process.pid} 1\n`);
      retire(kept);
      assert.deepEqual(removeStaleWorkDirs(root).sort(), [dead.root, reused.root].sort());
      assert.ok(statSync(mine.root).isDirectory(), "a live run's dir stays");
      assert.ok(statSync(kept.root).isDirectory(), "a kept dir stays");
      assert.throws(() => statSync(kept.secrets), /ENOENT/, "a kept dir holds no secrets");
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
