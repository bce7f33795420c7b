/**
 * `bin/ops-monitoring start` with the bundled demo catalog, on real processes: the healthy
 * demo app is quiet, every dashboard query works against the running Prometheus, injected
 * failures are notified (and the outage's time to detection is measured), recovery resolves,
 * and SIGINT leaves no process behind.
 */
import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { ALERT_NAME_LABEL, METRIC, REC } from "../../conventions";
import { panelQueries } from "../../dashboards";
import { loadDemoCatalog } from "../../local/demo-catalog";
import { catalogBounds, formatTerms, type DetectionBound } from "../../alerts/detection-bounds";
import type { SinkAlert } from "../../local/sink";
import {
  descendants,
  interruptAndCheck,
  sleep,
  spawnStart,
  stopStart,
  until,
  type StartProcess,
} from "../../local/start-process";
import { promQuery, ruleGroupIterations } from "./prometheus-api";

const catalog = loadDemoCatalog({ demoApp: "http://127.0.0.1:1", sink: "http://127.0.0.1:2/" });
const bounds = new Map(catalogBounds(catalog, "local").map((b) => [b.id, b]));
const bound = bounds.get("web/probe")!;
/** Slack on top of the bound for process scheduling and HTTP round trips. */
const SLACK_MS = 8_000;

/** Panels with nothing to show for the demo: TLS needs an https health URL. */
const EMPTY_FOR_DEMO = new Set(["TLS certificate days left"]);

let start: StartProcess;
let injectedAt = 0;

/** The notification came no later than the alert's computed local bound after the incident was injected. */
function withinBound(alert: SinkAlert, b: DetectionBound): void {
  const mttd = alert.receivedAt - injectedAt;
  console.log(`${b.id} MTTD ${(mttd / 1000).toFixed(1)}s (bound: ${formatTerms(b)})`);
  assert.ok(mttd <= b.totalMs + SLACK_MS, `${b.id}: MTTD ${mttd}ms is over ${b.totalMs}ms + ${SLACK_MS}ms`);
}

const control = async (path: string) => {
  const res = await fetch(`${start.urls["demo app"]}/control/${path}`, { method: "POST" });
  assert.equal(res.status, 200, `control ${path}: ${await res.text()}`);
};
const sinkAlerts = async () => (await (await fetch(`${start.urls.sink}/alerts`)).json()) as SinkAlert[];
const notified = (match: (a: SinkAlert) => boolean, what: string, timeoutMs: number) =>
  until(what, timeoutMs, async () => (await sinkAlerts()).find(match));

describe("local mode with the demo catalog", { timeout: 150_000 }, () => {
  before(async () => {
    start = spawnStart([]);
    await start.waitForLine(/\bready\b/, 40_000);
  });
  after(() => stopStart(start));

  it("says ready only once Prometheus has scraped every target and evaluated every rule group", async () => {
    const prom = start.urls.prometheus;
    const scraped = new Set((await promQuery(prom, "up")).map((r) => r.metric.job));
    assert.deepEqual([...scraped].sort(), [
      "api",
      "assistant",
      "db",
      "monitoring-alertmanager",
      "refresh",
      "web",
      "web-health",
    ]);
    for (const group of ["demo-alerts", "demo-shared-records"])
      assert.ok((await ruleGroupIterations(prom, group)) >= 1, `${group} not evaluated yet`);
  });

  it("prints every component's URL before the ready line", () => {
    for (const name of ["work dir", "prometheus", "alertmanager", "blackbox", "demo app", "sink"])
      assert.ok(start.urls[name], `${name} URL missing`);
    assert.ok(start.lines.findIndex((l) => l.includes("sink")) < start.lines.findIndex((l) => /\bready\b/.test(l)));
  });

  it("raises no probe alert while the demo app is healthy", async () => {
    const prom = start.urls.prometheus;
    await until("a successful probe of web", 20_000, async () =>
      (await promQuery(prom, `${METRIC.probeSuccess}{job="web-health"} == 1`)).length ? true : undefined,
    );
    await until("a rule evaluation after the first probe", 15_000, async () =>
      (await promQuery(prom, `${REC.requestRate}{service="web"}`)).length ? true : undefined,
    );
    assert.deepEqual(await promQuery(prom, `${METRIC.alerts}{${ALERT_NAME_LABEL}="ProbeDown"}`), []);
    assert.deepEqual(
      (await sinkAlerts()).filter((a) => a.alertname === "ProbeDown"),
      [],
    );
  });

  it("notifies a P0 ProbeDown for an outage within the local detection bound", async () => {
    injectedAt = Date.now();
    await Promise.all([
      control("outage?mode=down"),
      control("errors?share=1&role=api"),
      // The LLM incident of the demo week: the hand-written AssistantFailing fires, so its panel has data.
      control("errors?share=0.5&role=llm"),
      control("heartbeat?stale=1"),
    ]);
    const alert = await notified(
      (a) => a.alertname === "ProbeDown" && a.service === "web" && a.status === "firing",
      "ProbeDown firing",
      bound.totalMs + 30_000,
    );
    const mttd = alert.receivedAt - injectedAt;
    console.log(`MTTD ${(mttd / 1000).toFixed(1)}s (bound: ${formatTerms(bound)})`);
    assert.equal(alert.severity, "P0");
    assert.equal(alert.labels.signal, "probe");
    assert.match(alert.runbookUrl, /probe-down\.md$/);
    assert.ok(mttd <= bound.totalMs + SLACK_MS, `MTTD ${mttd}ms is over ${bound.totalMs}ms + ${SLACK_MS}ms`);
    const routed = (await sinkAlerts()).filter((a) => a.alertname === "ProbeDown" && a.receiver === "oncall");
    assert.ok(routed.length > 0, "P0 also reaches the catalog's oncall webhook");
  });

  it("notifies ErrorRateHigh for the api when every request fails, within its local detection bound", async () => {
    const alert = await notified(
      (a) => a.alertname === "ErrorRateHigh" && a.service === "api" && a.status === "firing",
      "ErrorRateHigh firing for api",
      45_000,
    );
    assert.ok(["P1", "P2"].includes(alert.severity));
    assert.equal(alert.labels.signal, "error_rate");
    withinBound(alert, bounds.get(`api/error_rate/${alert.severity}`)!);
  });

  it("evaluates every dashboard panel query without error, each with data for some demo service while alerts fire", async () => {
    await control("deploy?role=api");
    // Single-service dashboards use `job="$service-health"`; multi-service ones `=~`: try each service and all of them.
    const variants = [".+", ...catalog.services.map((s) => s.name), ...catalog.externalApis.map((a) => a.name)].map(
      (service) => panelQueries(catalog, { service }),
    );
    assert.ok(variants[0].length > 30, `only ${variants[0].length} panel queries`);
    let missing: string[] = [];
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(2000)) {
      missing = [];
      for (let i = 0; i < variants[0].length; i++) {
        const q = variants[0][i];
        if (EMPTY_FOR_DEMO.has(q.panel)) continue;
        let data = false;
        for (const v of variants) {
          const result = await promQuery(start.urls.prometheus, v[i].expr).catch((e: Error) =>
            assert.fail(`${q.dashboard} / ${q.panel}: ${e.message}`),
          );
          if (result.length > 0) {
            data = true;
            break;
          }
        }
        if (!data) missing.push(`${q.dashboard} / ${q.panel}: ${q.expr}`);
      }
      if (missing.length === 0) break;
    }
    assert.deepEqual(missing, [], "panels without data");
  });

  it("notifies JobHeartbeatMissing for the job once its heartbeat is stale for twice its period", async () => {
    // Stale since the outage step; the demo job's heartbeat is 30s, so it fires after 60s + `for` (capped at 10s locally).
    const alert = await notified(
      (a) => a.alertname === "JobHeartbeatMissing" && a.service === "refresh" && a.status === "firing",
      "JobHeartbeatMissing firing",
      90_000,
    );
    assert.equal(alert.labels.signal, "heartbeat");
    withinBound(alert, bounds.get("refresh/heartbeat")!);
  });

  it("notifies ProbeDown resolved after the demo app recovers", async () => {
    const recoveredAt = Date.now();
    await control("reset");
    const alert = await notified(
      (a) => a.alertname === "ProbeDown" && a.status === "resolved" && a.receivedAt >= recoveredAt,
      "ProbeDown resolved",
      45_000,
    );
    console.log(`resolved notification ${((alert.receivedAt - recoveredAt) / 1000).toFixed(1)}s after recovery`);
  });

  it("reports and restarts a component that crashes", async () => {
    const am = descendants(start.child.pid!).find((pid) =>
      readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("alertmanager.yml"),
    );
    assert.ok(am, "alertmanager process not found");
    process.kill(am, "SIGKILL");
    await start.waitForLine(/alertmanager stopped \(signal SIGKILL\); restarting/, 10_000);
    await until("alertmanager ready again", 15_000, async () =>
      (await fetch(`${start.urls.alertmanager}/-/ready`)).status === 200 ? true : undefined,
    );
  });

  it("stops every child process and removes the work dir on SIGINT", async () => {
    const workDir = start.urls["work dir"];
    const { code, survivors } = await interruptAndCheck(start, 20_000);
    assert.equal(code, 0);
    assert.deepEqual(survivors, []);
    assert.ok(!existsSync(workDir), `${workDir} still exists`);
  });
});
