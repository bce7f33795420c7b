/**
 * NotificationsFailing, checked by the real tools with hand-written series and expectations:
 * promtool fires it when Alertmanager gives up on a notification and keeps it quiet for
 * retried-then-delivered attempts, counter resets and an old failure; amtool routes it to
 * the P1 contacts; Prometheus scrapes Alertmanager for it.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { parse } from "yaml";
import { renderArtifacts } from "../../artifacts";
import { validateCatalog } from "../../catalog/validate";
import { findBinary, runTool } from "../../verify/tools";
import { writeArtifacts } from "../../write-artifacts";

const catalog = validateCatalog({
  system: "acme",
  default_team: "platform",
  services: [{ name: "web", kind: "frontend", health: { url: "https://web.example.com/health" } }],
  alerting: {
    routes: { P0: ["broken-hook"], P1: ["mail"], P2: [], P3: [] },
    contacts: {
      "broken-hook": { type: "webhook", url: "http://127.0.0.1:9/hook" },
      mail: { type: "email", to: ["ops@example.com"], from: "am@example.com", smarthost: "smtp.example.com:587" },
    },
  },
});
const artifacts = renderArtifacts(catalog, { alertmanagerAddress: "127.0.0.1:9093" });
const dir = mkdtempSync(join(tmpdir(), "notification-failures-"));
writeArtifacts(dir, artifacts);
after(() => rmSync(dir, { recursive: true, force: true }));

const promtool = findBinary("promtool");
const amtool = findBinary("amtool");

const failed = (values: string, integration = "slack") =>
  `      - series: 'alertmanager_notifications_failed_total{job="monitoring-alertmanager", integration="${integration}", instance="127.0.0.1:9093"}'\n        values: '${values}'\n`;

const firing = `
          - exp_labels: { alertname: NotificationsFailing, alert: NotificationsFailing, integration: slack, service: monitoring, severity: P1, signal: custom, team: platform }
            exp_annotations:
              summary: "Notifications cannot be delivered: alerts are reaching nobody through one kind of contact"
              description: "The notifier gave up on at least one notification in the last 10m after every retry failed. The label integration names the kind of contact (slack, pagerduty, email, webhook); the notifier's log names the contact and the error."
              runbook_url: https://github.com/acme/ops-monitoring/blob/main/docs/runbooks/notifications-failing.md`;

describe("NotificationsFailing", () => {
  it("fires for a notification Alertmanager gave up on and stays quiet otherwise (promtool, hand-written cases)", () => {
    assert.ok(promtool, "promtool must be on PATH");
    const runbookBase = catalog.runbookBaseUrl;
    const test = `rule_files: [prometheus/rules/acme-alerts.yml]
evaluation_interval: 1m
tests:
  - name: a notification to slack failed for good at minute 5
    interval: 1m
    input_series:
${failed("0 0 0 0 0 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1")}${failed("0x19", "email")}    alert_rule_test:
      - eval_time: 4m
        alertname: NotificationsFailing
        exp_alerts: []
      - eval_time: 6m
        alertname: NotificationsFailing
        exp_alerts:${firing}
      - eval_time: 14m
        alertname: NotificationsFailing
        exp_alerts:${firing}
      - eval_time: 17m
        alertname: NotificationsFailing
        exp_alerts: []
  - name: attempts that failed and then succeeded on retry do not fire
    interval: 1m
    input_series:
${failed("0x19")}      - series: 'alertmanager_notification_requests_failed_total{job="monitoring-alertmanager", integration="slack"}'
        values: '0 0 2 4 4 6 6 6 6 6'
    alert_rule_test:
      - eval_time: 9m
        alertname: NotificationsFailing
        exp_alerts: []
  - name: an Alertmanager restart resetting the counter does not fire
    interval: 1m
    input_series:
${failed("3 3 3 3 0 0 0 0 0 0")}    alert_rule_test:
      - eval_time: 9m
        alertname: NotificationsFailing
        exp_alerts: []
`.replaceAll("https://github.com/acme/ops-monitoring/blob/main/docs/runbooks", runbookBase);
    writeFileSync(join(dir, "notifications.test.yml"), test);
    const r = runTool(promtool, ["test", "rules", "notifications.test.yml"], dir);
    assert.ok(r.ok, r.output);
  });

  it("is routed to the P1 contacts, not to the P0 webhook that fails (amtool)", () => {
    assert.ok(amtool, "amtool must be on PATH");
    const r = runTool(
      amtool,
      [
        "config",
        "routes",
        "test",
        "--config.file=alertmanager/alertmanager.yml",
        "--verify.receivers=mail",
        "alertname=NotificationsFailing",
        "service=monitoring",
        "severity=P1",
        "integration=webhook",
      ],
      dir,
    );
    assert.ok(r.ok, r.output);
    assert.equal(r.output.split("\n")[0], "mail");
  });

  it("reads a counter Prometheus scrapes from Alertmanager itself", () => {
    const prom = parse(artifacts["prometheus/prometheus.yml"]) as {
      scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
    };
    const job = prom.scrape_configs.find((j) => j.job_name === "monitoring-alertmanager");
    assert.deepEqual(job?.static_configs, [{ targets: ["127.0.0.1:9093"] }]);
  });

  it("is refused as a service name, which would collide with that scrape job", () => {
    assert.throws(
      () => validateCatalog({ system: "acme", services: [{ name: "monitoring-alertmanager", kind: "api" }] }),
      /services\[monitoring-alertmanager\]\.name: "monitoring-alertmanager" is reserved/,
    );
  });
});
