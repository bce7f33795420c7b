import { strict as assert } from "node:assert";
import { after, before, describe, it } from "node:test";
import { formatAlert, parsePayload, startSink, type Sink } from "../../local/sink";

/** Alertmanager's webhook payload (version 4) as it sends it. */
const payload = (status: "firing" | "resolved") => ({
  version: "4",
  groupKey: '{}/{}:{alertname="ProbeDown"}',
  status,
  receiver: "oncall",
  groupLabels: { alertname: "ProbeDown" },
  commonLabels: { alertname: "ProbeDown", service: "web", severity: "P0" },
  commonAnnotations: {},
  externalURL: "http://127.0.0.1:9093",
  truncatedAlerts: 0,
  alerts: [
    {
      status,
      labels: { alertname: "ProbeDown", service: "web", severity: "P0", signal: "probe", team: "growth" },
      annotations: {
        summary: "web is down",
        runbook_url: "https://example.com/runbooks/probe-down.md",
        description: "d",
      },
      startsAt: "2026-01-01T00:00:00Z",
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL: "http://prometheus/graph",
      fingerprint: "abc",
    },
  ],
});

let sink: Sink;
const lines: string[] = [];
before(async () => {
  sink = await startSink({ print: (l) => lines.push(l) });
});
after(() => sink.close());

describe("notification sink", () => {
  it("prints one readable line per alert with time, status, severity, service, name, summary and runbook", () => {
    const [a] = parsePayload(payload("firing"), Date.UTC(2026, 0, 1, 12, 4, 5));
    assert.equal(
      formatAlert(a),
      "12:04:05 FIRING   P0 web ProbeDown — web is down runbook: https://example.com/runbooks/probe-down.md [via oncall]",
    );
  });

  it("keeps received alerts and wakes waiters on firing and resolved notifications", async () => {
    const resolved = sink.waitFor((a) => a.status === "resolved" && a.alertname === "ProbeDown", 5000);
    for (const status of ["firing", "resolved"] as const) {
      const res = await fetch(sink.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload(status)),
      });
      assert.equal(res.status, 200);
    }
    assert.equal((await resolved).service, "web");
    assert.deepEqual(
      sink.alerts.map((a) => a.status),
      ["firing", "resolved"],
    );
    assert.equal(lines.length, 2);
    assert.match(lines[1], /RESOLVED P0 web ProbeDown/);
    const served = (await (await fetch(`${sink.url}alerts`)).json()) as Array<{ status: string }>;
    assert.deepEqual(
      served.map((a) => a.status),
      ["firing", "resolved"],
    );
  });

  it("answers 400 to a body that is not an Alertmanager payload", async () => {
    const res = await fetch(sink.url, { method: "POST", body: "{}" });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /no alerts array/);
  });

  it("rejects a wait that sees no matching alert in time", async () => {
    await assert.rejects(
      sink.waitFor((a) => a.alertname === "Nope", 50),
      /no matching alert within 50ms/,
    );
  });
});
