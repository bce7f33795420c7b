import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { METRIC } from "../../conventions";
import { DemoMetrics, ROLES, startDemoApp, type DemoApp } from "../../local/demo-app";

let app: DemoApp;
before(async () => {
  app = await startDemoApp({ tickMs: 60_000 });
});
after(() => app.close());

const post = (path: string) => fetch(`${app.url}${path}`, { method: "POST" });

/** A value from Prometheus text format, by exact series text. */
function value(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("demo app", () => {
  it("answers its health check with ok, 503 degraded, or a dropped connection", async () => {
    let res = await fetch(`${app.url}/api/health`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: "ok" });
    await post("/control/outage?mode=degraded");
    res = await fetch(`${app.url}/api/health`);
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), { status: "degraded" });
    await post("/control/outage?mode=down");
    await assert.rejects(fetch(`${app.url}/api/health`));
    await assert.rejects(fetch(`${app.url}/metrics/frontend`));
    assert.equal((await fetch(`${app.url}/metrics/api`)).status, 200, "only the front end is down");
    await post("/control/reset");
    assert.equal((await fetch(`${app.url}/api/health`)).status, 200);
  });

  it("rejects bad control input with a message", async () => {
    const res = await post("/control/errors?share=2");
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { error: string }).error, /share must be a number in 0\.\.1/);
    assert.equal((await post("/control/errors?share=0.1&role=nope")).status, 400);
    assert.equal((await fetch(`${app.url}/control/reset`)).status, 405);
    assert.equal((await post("/control/explode")).status, 400);
  });

  it("serves metrics that promtool accepts for every role", async () => {
    app.metrics.tick();
    const dir = mkdtempSync(join(tmpdir(), "demo-metrics-"));
    try {
      for (const role of ROLES) {
        const res = await fetch(`${app.url}/metrics/${role}`);
        assert.equal(res.status, 200);
        const file = join(dir, `${role}.prom`);
        writeFileSync(file, await res.text());
        const r = spawnSync("sh", ["-c", `promtool check metrics < ${file}`], { encoding: "utf8" });
        // promtool exits 3 for lint warnings (e.g. counters without _total) and 1 for parse errors.
        assert.notEqual(r.status, 1, `${role}: ${r.stderr}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("demo metrics", () => {
  it("produces the injected share of 5xx responses", () => {
    const m = new DemoMetrics(() => 1_000_000);
    m.state.errorShare.api = 0.25;
    for (let i = 0; i < 10; i++) m.tick(4);
    const text = m.text("api");
    const errors = value(
      text,
      `${METRIC.httpServerDuration}_count{http_request_method="GET",http_route="/api/leads",${METRIC.httpStatusLabel}="500"}`,
    );
    const ok = value(
      text,
      `${METRIC.httpServerDuration}_count{http_request_method="GET",http_route="/api/leads",${METRIC.httpStatusLabel}="200"}`,
    );
    assert.equal(errors, 10);
    assert.equal(ok, 30);
  });

  it("shifts request durations by the injected latency", () => {
    const m = new DemoMetrics(() => 0);
    m.state.extraLatencyMs.api = 3000;
    m.tick(4);
    const fast = value(
      m.text("api"),
      `${METRIC.httpServerDuration}_bucket{http_request_method="GET",http_route="/api/leads",${METRIC.httpStatusLabel}="200",le="2.5"}`,
    );
    assert.equal(fast, 0);
  });

  it("freezes the job's last success at least an hour back while the heartbeat is stale", () => {
    let now = 10_000_000;
    const m = new DemoMetrics(() => now);
    for (let i = 0; i < 10; i++) m.tick();
    const series = METRIC.jobLastSuccess;
    assert.equal(value(m.text("job"), series), 10_000);
    m.state.heartbeatStale = true;
    now += 60_000;
    for (let i = 0; i < 10; i++) m.tick();
    assert.equal(value(m.text("job"), series), 10_060 - 3600);
  });

  it("gives each role the same series whether only that role or every role gets traffic (history simulates one role per service)", () => {
    for (const role of ROLES) {
      const all = new DemoMetrics(() => 5_000_000);
      const one = new DemoMetrics(() => 5_000_000);
      for (const m of [all, one])
        Object.assign(m.state.errorShare, { frontend: 0.3, api: 0.1, database: 0.2, llm: 0.25 });
      for (let i = 0; i < 50; i++) {
        all.tick();
        one.tick(undefined, [role]);
      }
      assert.equal(one.text(role), all.text(role), role);
    }
  });

  it("exposes quota, external API outcomes and cost on the api role and Postgres series on the database role", () => {
    const m = new DemoMetrics(() => 0);
    m.state.quotaUsed = 450;
    m.tick();
    const api = m.text("api");
    assert.equal(value(api, `${METRIC.quotaUsed}{api="hunter"}`), 450);
    assert.ok(value(api, `${METRIC.externalApiRequests}{api="hunter",outcome="success"}`)! > 0);
    assert.ok(api.includes(`${METRIC.costMonthToDate}{source="openai"}`));
    const db = m.text("database");
    for (const name of [
      METRIC.pgConnections,
      METRIC.pgMaxConnections,
      METRIC.pgBlocksHit,
      METRIC.pgBlocksRead,
      METRIC.pgReplicationLag,
      `${METRIC.dbClientDuration}_count`,
    ]) {
      assert.ok(db.includes(`\n${name}{`) || db.includes(`\n${name} `), `${name} missing`);
    }
  });
});
