import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { loadCatalogFile } from "../../catalog/load";
import { ruleGroupsOf, renderArtifacts, DEFAULT_RENDER_OPTIONS } from "../../artifacts";
import type { AlertRule } from "../../alerts/model";
import { SEVERITIES } from "../../catalog/units";
import { ROOT, exampleCatalogs, GOOD } from "../helpers/catalogs";

const SIGNALS = new Set([
  "availability",
  "error_rate",
  "latency",
  "probe",
  "heartbeat",
  "saturation",
  "quota",
  "budget",
  "tls",
  "slo_burn",
  "custom",
]);

function alertsOf(file: string): AlertRule[] {
  const catalog = loadCatalogFile(file);
  return ruleGroupsOf(catalog, DEFAULT_RENDER_OPTIONS)
    .flatMap((g) => g.rules)
    .filter((r): r is AlertRule => r.kind === "alert");
}

test("every alert of every example carries service, severity, signal and team labels and the contract annotations", () => {
  for (const file of exampleCatalogs()) {
    for (const a of alertsOf(file)) {
      const where = `${file}: ${a.id}`;
      for (const l of ["service", "severity", "signal", "team"]) assert.ok(a.labels[l], `${where} lacks label ${l}`);
      assert.ok((SEVERITIES as readonly string[]).includes(a.labels.severity), where);
      assert.ok(SIGNALS.has(a.labels.signal), where);
      for (const k of ["summary", "description", "runbook_url"])
        assert.ok(a.annotations[k], `${where} lacks annotation ${k}`);
      if (a.dashboard) assert.match(a.annotations.dashboard_url, /\/d\/[a-z0-9-]+\/.*viewPanel=\d+/, where);
    }
  }
});

test("every alert's runbook_url points at a runbook page that exists in docs/runbooks", () => {
  for (const file of exampleCatalogs()) {
    for (const a of alertsOf(file)) {
      const page = a.annotations.runbook_url.split("/").pop()!;
      assert.ok(existsSync(join(ROOT, "docs", "runbooks", page)), `${a.id}: docs/runbooks/${page} is missing`);
    }
  }
});

test("alert ids are unique, so Grafana uids derived from them never collide", () => {
  for (const file of exampleCatalogs()) {
    const ids = alertsOf(file).map((a) => a.id);
    assert.equal(new Set(ids).size, ids.length, file);
  }
});

test("SLO alerts are multi-window multi-burn-rate: page 14.4x 1h/5m and 6x 6h/30m, ticket 3x 1d/2h and 1x 3d/6h", () => {
  const alerts = alertsOf(join(GOOD, "all-kinds", "catalog.yaml"));
  const page = alerts.find((a) => a.id === "web/slo/availability/page")!;
  const ticket = alerts.find((a) => a.id === "web/slo/availability/ticket")!;
  // Objective 99.9% → error budget 0.001.
  assert.equal(
    page.ownExpr ?? page.expr,
    '(slo:sli_error:ratio_rate1h{service="web", slo="availability"} > 0.0144 and slo:sli_error:ratio_rate5m{service="web", slo="availability"} > 0.0144)' +
      ' or (slo:sli_error:ratio_rate6h{service="web", slo="availability"} > 0.006 and slo:sli_error:ratio_rate30m{service="web", slo="availability"} > 0.006)',
  );
  assert.equal(
    ticket.ownExpr ?? ticket.expr,
    '(slo:sli_error:ratio_rate1d{service="web", slo="availability"} > 0.003 and slo:sli_error:ratio_rate2h{service="web", slo="availability"} > 0.003)' +
      ' or (slo:sli_error:ratio_rate3d{service="web", slo="availability"} > 0.001 and slo:sli_error:ratio_rate6h{service="web", slo="availability"} > 0.001)',
  );
  assert.deepEqual([page.labels.severity, ticket.labels.severity, page.labels.signal], ["P0", "P2", "slo_burn"]);
});

test("the generated families exist: probe down, TLS expiry, heartbeat, quota, budget, watchdog and raw rules", () => {
  const ids = new Set(alertsOf(join(GOOD, "all-kinds", "catalog.yaml")).map((a) => a.id));
  for (const id of [
    "web/probe",
    "web/tls/P2",
    "web/tls/P1",
    "nightly-export/heartbeat",
    "hunter/quota",
    "hunter/failure_rate/P2",
    "budget/alert_at",
    "budget/exceeded",
    "monitoring/watchdog",
    "db/custom/OrphanedRecords",
    "db/connections/P1",
    "db/replication_lag/P2",
    "pool/connections/P1",
    "scoring/latency_p95/P2",
  ]) {
    assert.ok(ids.has(id), `missing ${id}`);
  }
  const plainHttp = new Set(alertsOf(join(GOOD, "minimal", "catalog.yaml")).map((a) => a.id));
  assert.ok(plainHttp.has("web/probe") && !plainHttp.has("web/tls/P2"), "no TLS alert for an http:// health URL");
});

test("the quota alert fires at alert_at of the quota and the heartbeat alert at twice the heartbeat", () => {
  const alerts = alertsOf(join(GOOD, "all-kinds", "catalog.yaml"));
  assert.equal(
    alerts.find((a) => a.id === "hunter/quota")!.expr,
    'max(last_over_time(ops_external_api_quota_used{api="hunter"}[31d])) >= 400',
  );
  assert.match(alerts.find((a) => a.id === "nightly-export/heartbeat")!.expr, / > 172800$/);
});

test("Alertmanager has no inhibit rules (the rule expressions suppress, the same in both targets) and re-notifies unacknowledged P0 on the ack_timeout tick", () => {
  const catalog = loadCatalogFile(join(GOOD, "all-kinds", "catalog.yaml"));
  interface Route {
    matchers?: string[];
    group_interval?: string;
    repeat_interval?: string;
  }
  const am = parse(renderArtifacts(catalog)["alertmanager/alertmanager.yml"]) as {
    inhibit_rules?: unknown[];
    route: { routes: Route[] };
  };
  assert.equal(am.inhibit_rules, undefined, "suppression lives in the rule expressions, the same in both targets");
  const p0 = am.route.routes.find((r) => r.matchers?.[0] === 'severity="P0"');
  assert.deepEqual(
    [p0?.group_interval, p0?.repeat_interval],
    ["2m30s", "3m45s"],
    "unacknowledged P0 re-notifies on the tick ack_timeout (5m) after the last notification",
  );
});
