/**
 * On-call routing of the rendered `alertmanager.yml`, checked by amtool itself (`check-config`,
 * `config routes test`) against receivers written here by hand.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { renderAlertmanager } from "../../alerts/alertmanager";
import { validateCatalog } from "../../catalog/validate";
import { findBinary } from "../../verify/tools";

const catalog = validateCatalog({
  system: "shop",
  services: [
    { name: "web", kind: "frontend", team: "growth" },
    { name: "api", kind: "api", team: "core" },
  ],
  budget: { monthly_usd: 270 },
  alerting: {
    routes: { P0: ["pager", "slack"], P1: ["slack"], P2: ["email"], P3: [] },
    escalation: { P0: { after: "30m", to: ["lead"] }, P1: { after: "2h", to: ["lead", "email"] } },
    policies: [
      { match: { signal: "budget" }, to: ["finance"] },
      { match: { team: "growth" }, to: ["growth-pager"] },
      { match: { service: "api", signal: "latency" }, to: ["email"] },
    ],
    mute_timings: [
      { name: "nights", times: [{ start: "22:00", end: "07:00" }], severities: ["P2"], location: "Europe/Berlin" },
    ],
    contacts: {
      pager: { type: "pagerduty", integration_key: { secret: "pagerdutyKey" } },
      slack: { type: "slack", url: { secret: "slackWebhookUrl" } },
      email: { type: "email", to: ["ops@shop.example"] },
      lead: { type: "email", to: ["lead@shop.example"] },
      finance: { type: "email", to: ["finance@shop.example"] },
      "growth-pager": { type: "webhook", url: "https://growth.example/hook" },
    },
  },
});

const amtool = findBinary("amtool") ?? assert.fail("amtool is needed: apt-get install prometheus-alertmanager");
const dir = mkdtempSync(join(tmpdir(), "routing-test-"));
const config = renderAlertmanager(catalog, { secretsDir: "/etc/ops-monitoring/secrets", profile: "prod" });
writeFileSync(join(dir, "alertmanager.yml"), config);
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

function receivers(labels: Record<string, string>): string {
  const r = spawnSync(
    amtool,
    [
      "config",
      "routes",
      "test",
      `--config.file=${join(dir, "alertmanager.yml")}`,
      ...Object.entries(labels).map(([k, v]) => `${k}=${v}`),
    ],
    { encoding: "utf8" },
  );
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

const alert = (labels: Record<string, string>) => ({
  alertname: "Anything",
  service: "api",
  team: "core",
  signal: "error_rate",
  ...labels,
});

test("amtool accepts the config with escalation, policies and a mute timing in Europe/Berlin", () => {
  const r = spawnSync(amtool, ["check-config", join(dir, "alertmanager.yml")], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test("alerts matching no policy keep their severity's contacts", () => {
  assert.equal(receivers(alert({ severity: "P0" })), "pager,slack");
  assert.equal(receivers(alert({ severity: "P1" })), "slack");
  assert.equal(receivers(alert({ severity: "P2" })), "email");
  assert.equal(receivers(alert({ severity: "P3" })), "dashboard-only");
});

test("an escalated copy goes only to the escalation contacts of its severity, before any policy", () => {
  assert.equal(receivers(alert({ severity: "P0", escalation: "30m" })), "lead");
  assert.equal(receivers(alert({ severity: "P1", escalation: "2h" })), "lead,email");
  assert.equal(receivers(alert({ severity: "P0", escalation: "30m", signal: "budget", team: "growth" })), "lead");
});

test("policies are matched in order before the severity routes; every key of a match must match", () => {
  assert.equal(receivers(alert({ severity: "P2", signal: "budget", service: "budget", team: "ops" })), "finance");
  assert.equal(receivers(alert({ severity: "P0", signal: "budget", team: "growth" })), "finance");
  assert.equal(receivers(alert({ severity: "P0", service: "web", team: "growth" })), "growth-pager");
  assert.equal(receivers(alert({ severity: "P3", service: "web", team: "growth" })), "growth-pager");
  assert.equal(receivers(alert({ severity: "P1", signal: "latency" })), "email");
  assert.equal(receivers(alert({ severity: "P1", signal: "latency", service: "web", team: "core" })), "slack");
});

test("mute timings sit on the routes that notify, with their time zone; P0/P1 get ack timings", () => {
  const am = parse(config) as {
    route: {
      routes: Array<{
        matchers: string[];
        group_interval?: string;
        repeat_interval?: string;
        routes?: Array<{ receiver: string; mute_time_intervals?: string[] }>;
      }>;
    };
    time_intervals: unknown[];
  };
  assert.deepEqual(am.time_intervals, [
    {
      name: "nights",
      time_intervals: [
        {
          times: [
            { start_time: "22:00", end_time: "24:00" },
            { start_time: "00:00", end_time: "07:00" },
          ],
          location: "Europe/Berlin",
        },
      ],
    },
  ]);
  const p2 = am.route.routes.find((r) => r.matchers.length === 1 && r.matchers[0] === 'severity="P2"')!;
  assert.deepEqual(p2.routes, [{ receiver: "email", continue: true, mute_time_intervals: ["nights"] }]);
  const p0 = am.route.routes.find((r) => r.matchers.length === 1 && r.matchers[0] === 'severity="P0"')!;
  assert.deepEqual([p0.group_interval, p0.repeat_interval], ["2m30s", "3m45s"]);
});

test("history mode (sinkOnly): amtool routes every alert, escalated copy and the Watchdog to the local sink and no catalog contact", () => {
  const history = join(dir, "history-alertmanager.yml");
  const text = renderAlertmanager(catalog, {
    secretsDir: "/etc/ops-monitoring/secrets",
    profile: "local",
    sinkUrl: "http://127.0.0.1:9/",
    sinkOnly: true,
  });
  writeFileSync(history, text);
  assert.equal(spawnSync(amtool, ["check-config", history], { encoding: "utf8" }).status, 0);
  for (const labels of [
    alert({ severity: "P0" }),
    alert({ severity: "P0", escalation: "30m" }),
    alert({ severity: "P2", signal: "budget" }),
    alert({ severity: "P1", team: "growth", service: "web" }),
    { alertname: "Watchdog", severity: "P3", service: "monitoring" },
  ]) {
    const r = spawnSync(
      amtool,
      ["config", "routes", "test", `--config.file=${history}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)],
      { encoding: "utf8" },
    );
    assert.equal(r.stdout.trim(), "local-sink", JSON.stringify(labels));
  }
  assert.doesNotMatch(text, /pagerduty|slack|@shop\.example|growth\.example/);
});
