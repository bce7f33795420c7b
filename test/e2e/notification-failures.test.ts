/**
 * `start` with a catalog whose P0 contact is a webhook nobody listens on: once an outage
 * makes Alertmanager give up on that notification, NotificationsFailing reaches the working
 * P1 webhook, on real Prometheus and Alertmanager processes.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ALERTMANAGER_JOB, METRIC, FOLDED_ALERTS, NOTIFICATIONS_FAILING_ALERT, ruleGroupName } from "../../conventions";
import { spawnStart, stopStart, until, type StartProcess } from "../../local/start-process";
import { freePorts } from "../../local/supervisor";
import { listenOnLoopback } from "../helpers/loopback";
import { promQuery, ruleGroupIterations } from "./prometheus-api";

interface Received {
  receiver: string;
  status: string;
  labels: Record<string, string>;
}

let healthy = true;
const received: Received[] = [];
let health: Server;
let receiver: Server;
let dir: string;
let start: StartProcess;

const failing = () => received.find((r) => r.labels.alertname === "NotificationsFailing" && r.status === "firing");

describe("a contact that cannot be reached", { timeout: 180_000 }, () => {
  before(async () => {
    health = createServer((_req, res) => res.writeHead(healthy ? 200 : 500).end(healthy ? "ok" : "broken"));
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
          receiver: string;
          alerts: Array<Omit<Received, "receiver">>;
        };
        received.push(...body.alerts.map((a) => ({ ...a, receiver: body.receiver })));
        res.writeHead(200).end();
      });
    });
    const [healthUrl, hookUrl] = await Promise.all([listenOnLoopback(health), listenOnLoopback(receiver)]);
    const [closed] = await freePorts(1);
    dir = mkdtempSync(join(tmpdir(), "notification-failures-"));
    writeFileSync(
      join(dir, "catalog.yaml"),
      `system: hookco
services:
  - name: shop
    kind: api
    health: { url: "${healthUrl}/healthz", every: 5s, timeout: 2s, for: 10s }
alerting:
  routes: { P0: [broken-hook], P1: [team-hook], P2: [], P3: [] }
  contacts:
    broken-hook: { type: webhook, url: "http://127.0.0.1:${closed}/hook" }
    team-hook: { type: webhook, url: "${hookUrl}/hook" }
`,
    );
    start = spawnStart(["--catalog", join(dir, "catalog.yaml")]);
    await start.waitForLine(/\bready\b/, 60_000);
  });
  after(async () => {
    await stopStart(start);
    for (const s of [health, receiver]) s?.closeAllConnections();
    await Promise.all([health, receiver].map((s) => new Promise((r) => s?.close(r))));
    rmSync(dir, { recursive: true, force: true });
  });

  it("raises no NotificationsFailing while every notification is delivered", async () => {
    // Shown by counting evaluations, not by waiting: once Prometheus has scraped a notification
    // attempt from Alertmanager and the rule's increase() has two samples to compare, the rule
    // is evaluated twice more (forMs 0: one evaluation over the bound makes it pending or firing).
    const prometheus = start.urls.prometheus;
    const failed = `${METRIC.amNotificationsFailed}{job="${ALERTMANAGER_JOB}"}`;
    await until("Alertmanager's notification counters scraped twice, after a notification", 60_000, async () => {
      const ready = await promQuery(
        prometheus,
        `sum(increase(${failed}[10m])) == 0 and on() sum(alertmanager_notifications_total{job="${ALERTMANAGER_JOB}"}) > 0`,
      );
      return ready.length > 0 ? true : undefined;
    });
    const evaluations = () => ruleGroupIterations(prometheus, ruleGroupName("hookco", FOLDED_ALERTS));
    const from = await evaluations();
    await until("two more evaluations of NotificationsFailing", 30_000, async () =>
      (await evaluations()) >= from + 2 ? true : undefined,
    );
    assert.deepEqual(await promQuery(prometheus, `ALERTS{alertname="${NOTIFICATIONS_FAILING_ALERT}"}`), []);
    assert.equal(failing(), undefined);
  });

  it("notifies NotificationsFailing for the webhook integration at the working P1 contact once the P0 webhook fails", async () => {
    const brokenAt = Date.now();
    healthy = false;
    const alert = await until("NotificationsFailing at team-hook", 150_000, failing);
    console.log(
      `NotificationsFailing delivered ${((Date.now() - brokenAt) / 1000).toFixed(1)}s after the outage began`,
    );
    assert.equal(alert.receiver, "team-hook");
    assert.equal(alert.labels.integration, "webhook");
    assert.equal(alert.labels.severity, "P1");
    assert.equal(alert.labels.service, "monitoring");
    assert.ok(
      !received.some((r) => r.labels.alertname === "ProbeDown"),
      "the P0 itself went only to the broken webhook",
    );
    assert.ok(
      start.lines.some((l) => /ProbeDown/.test(l) && /\[via local-sink\]/.test(l)),
      "the sink saw the P0",
    );
  });
});
