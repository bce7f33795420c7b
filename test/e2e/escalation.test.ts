/**
 * Escalation and acknowledgement with the real processes: `bin/ops-monitoring start` (real
 * Prometheus and Alertmanager) on a catalog whose P0s go to an on-call webhook and escalate to
 * a lead webhook after 20s, both served here. Two P0s fire together; one is acknowledged with
 * `bin/ops-monitoring ack` as soon as on-call hears of it.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ALERTMANAGER_JOB, LABEL } from "../../conventions";
import { spawnStart, stopStart, until, type StartProcess } from "../../local/start-process";
import { cli } from "../helpers/cli-in-process";
import { promQuery } from "./prometheus-api";

interface Alert {
  status: string;
  labels: Record<string, string>;
  startsAt: string;
}
interface Delivery {
  to: "oncall" | "lead";
  at: number;
  alert: Alert;
}

const AFTER_MS = 20_000;
const ACK_TIMEOUT_MS = 4_000;
const deliveries: Delivery[] = [];
let receiver: Server;
let dir: string;
let start: StartProcess;
let env: NodeJS.ProcessEnv;

/**
 * A condition that holds from this stack's first scrape of its Alertmanager on (whatever the
 * scrape's outcome), not before: the escalated copy reads its history, and `vector(1)` would
 * have held all along.
 */
const HOLDS_FROM_START = `up{job="${ALERTMANAGER_JOB}"} >= 0`;

const catalogYaml = (hook: string) => `
system: esc
services:
  - { name: api, kind: api }
rules:
  - { name: PaymentsDown, expr: '${HOLDS_FROM_START}', severity: P0, service: api }
  - { name: QueueStuck, expr: '${HOLDS_FROM_START}', severity: P0, service: api }
alerting:
  ack_timeout: ${ACK_TIMEOUT_MS / 1000}s
  routes: { P0: [oncall], P1: [], P2: [], P3: [] }
  escalation:
    P0: { after: ${AFTER_MS / 1000}s, to: [lead] }
  contacts:
    oncall: { type: webhook, url: "${hook}/oncall" }
    lead: { type: webhook, url: "${hook}/lead" }
`;

const got = (to: Delivery["to"], alertname: string) =>
  deliveries.filter((d) => d.to === to && d.alert.labels.alertname === alertname && d.alert.status === "firing");

describe("escalation and ack with real Prometheus and Alertmanager", { timeout: 150_000 }, () => {
  let ackedAt = 0;
  let silenceId = "";

  before(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const at = Date.now();
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { alerts: Alert[] };
        for (const alert of body.alerts) deliveries.push({ to: req.url === "/lead" ? "lead" : "oncall", at, alert });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    dir = mkdtempSync(join(tmpdir(), "escalation-"));
    writeFileSync(
      join(dir, "catalog.yaml"),
      catalogYaml(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}`),
    );
    // A private TMPDIR: `ack` must find this `start` (and no other test's) without being told the URL.
    env = { ...process.env, TMPDIR: dir };
    delete env.ALERTMANAGER_URL;
    start = spawnStart(["--catalog", join(dir, "catalog.yaml")], env);
    await start.waitForLine(/\bready\b/, 40_000);
  });
  after(async () => {
    await stopStart(start);
    receiver?.closeAllConnections();
    await new Promise((r) => receiver?.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it("ack silences QueueStuck on the running local stack as soon as on-call is told, and prints the silence id", async () => {
    await until("QueueStuck at on-call", 40_000, () => got("oncall", "QueueStuck")[0]);
    // In-process (test/cli/ack.test.ts runs the binary): on-call acks within seconds, before the 20s escalation.
    const r = await cli(["ack", "QueueStuck", "--service", "api", "--for", "10m", "--comment", "looking"], {
      env: { TMPDIR: dir, ALERTMANAGER_URL: undefined },
    });
    ackedAt = Date.now();
    assert.equal(r.status, 0, r.stderr);
    silenceId = r.stdout.trim();
    assert.match(silenceId, /^[0-9a-f-]{36}$/);
    const silence = (await (await fetch(`${start.urls.alertmanager}/api/v2/silence/${silenceId}`)).json()) as {
      status: { state: string };
      comment: string;
      matchers: Array<{ name: string; value: string; isRegex: boolean }>;
    };
    assert.equal(silence.status.state, "active");
    assert.equal(silence.comment, "looking");
    assert.deepEqual(silence.matchers.map((m) => [m.name, m.value, m.isRegex]).sort(), [
      [LABEL.alert, "QueueStuck", false],
      [LABEL.service, "api", false],
    ]);
  });

  it("the lead hears of the unacknowledged P0 only once it has been firing 20s, within one evaluation and group_wait after", async () => {
    const escalated = await until("PaymentsDown at the lead", 60_000, () => got("lead", "PaymentsDown")[0]);
    const started = Date.parse(got("oncall", "PaymentsDown")[0].alert.startsAt);
    const late = escalated.at - started;
    console.log(
      `# PaymentsDown: started ${new Date(started).toISOString()}, lead notified after ${(late / 1000).toFixed(1)}s (after: 20s)`,
    );
    assert.ok(late >= AFTER_MS, `the lead was notified ${late}ms after the alert started, before 20s`);
    assert.ok(late <= AFTER_MS + 5_000 + 2_000 + 3_000, `the lead was notified ${late}ms after the alert started`);
    assert.equal(escalated.alert.labels.escalation, "20s");
    assert.equal(escalated.alert.labels.severity, "P0");
    assert.ok(
      deliveries.filter((d) => d.to === "lead").every((d) => d.at >= started + AFTER_MS),
      "nothing reached the lead before 20s",
    );
  });

  it("the acknowledged alert neither escalates nor re-notifies", async () => {
    // Shown by events, not by waiting: Prometheus fires QueueStuck's escalated copy (it knows
    // nothing of the ack), Alertmanager holds that copy as silenced by the ack, and then on-call
    // gets two more PaymentsDown re-notifications: at least one ack_timeout (4s) of Alertmanager
    // flushing after it took in the copy, twice its group_wait (2s), the time an unsilenced copy
    // would have needed to reach the lead.
    await until("QueueStuck's escalated copy firing in Prometheus", 60_000, async () => {
      const firing = await promQuery(
        start.urls.prometheus,
        `ALERTS{alertname="QueueStuck", ${LABEL.escalation}="20s", alertstate="firing"}`,
      );
      return firing.length > 0 ? true : undefined;
    });
    await until("Alertmanager holding the escalated copy as silenced by the ack", 30_000, async () => {
      const filter = ["alertname=QueueStuck", `${LABEL.escalation}=20s`].map((f) => `filter=${encodeURIComponent(f)}`);
      const res = await fetch(`${start.urls.alertmanager}/api/v2/alerts?${filter.join("&")}`);
      const held = (await res.json()) as Array<{ status: { state: string; silencedBy: string[] } }>;
      return held.some((a) => a.status.state === "suppressed" && a.status.silencedBy.includes(silenceId))
        ? true
        : undefined;
    });
    const seen = got("oncall", "PaymentsDown").length;
    await until("two more PaymentsDown re-notifications at on-call", 30_000, () =>
      got("oncall", "PaymentsDown").length >= seen + 2 ? true : undefined,
    );
    assert.deepEqual(got("lead", "QueueStuck"), [], "QueueStuck escalated despite the ack");
    assert.deepEqual(
      got("oncall", "QueueStuck").filter((d) => d.at > ackedAt + 1_000),
      [],
      "QueueStuck re-notified on-call after the ack",
    );
  });

  it("the unacknowledged alert re-notifies on-call every ack_timeout (4s), not later", async () => {
    await until("six PaymentsDown notifications at on-call", 60_000, () =>
      got("oncall", "PaymentsDown").length >= 6 ? true : undefined,
    );
    const times = got("oncall", "PaymentsDown").map((d) => d.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    console.log(`# PaymentsDown re-notification gaps (ms): ${gaps.join(", ")}`);
    assert.ok(gaps.length >= 5, `only ${times.length} notifications`);
    for (const gap of gaps) assert.ok(gap >= ACK_TIMEOUT_MS - 500 && gap <= ACK_TIMEOUT_MS + 500, `gap ${gap}ms`);
  });
});
