import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadCatalogFile } from "../../catalog/load";
import { formatDuration } from "../../catalog/units";
import type { AlertRule, RuleGroup } from "../../alerts/model";
import { ruleGroupsOf } from "../../artifacts";
import { dashboardLink } from "../../dashboards";
import { checkIdentities } from "../../alerts/identities";
import { canonicalJson } from "../../infra/grafana/canonical";
import {
  EXPRESSION_DATASOURCE,
  grafanaRuleGroups,
  PRESENCE_MATH,
  QUERY_RANGE_SECONDS,
  VALUE_MATH,
  type GrafanaRule,
} from "../../infra/grafana/rule-groups";
import { atLeast, grafanaFeatures } from "../../infra/grafana/versions";
import { GRAFANA_SINCE } from "../../infra/provider-facts";
import { GOOD } from "../helpers/catalogs";

const catalog = loadCatalogFile(join(GOOD, "all-kinds", "catalog.yaml"));
const model = ruleGroupsOf(catalog, { customRules: {}, profile: "prod" });
const features = grafanaFeatures(catalog);
const converted = grafanaRuleGroups(model, { catalog, datasourceUid: "prom-uid", features });
const alerts = model.flatMap((g) => g.rules).filter((r): r is AlertRule => r.kind === "alert");
const byUid = new Map(converted.flatMap((g) => g.rules).map((r) => [r.uid, r]));

function convertedOf(rule: { id: string }): GrafanaRule {
  const found = converted.flatMap((g) => g.rules).find((r) => r.name.endsWith(`(${rule.id})`));
  assert.ok(found, `no Grafana rule for ${rule.id}`);
  return found;
}

const parseVersion = (v: string) => {
  const [a, b, c = 0] = v.split(".").map(Number);
  return [a, b, c] as [number, number, number];
};
const models = (r: GrafanaRule) => r.datas.map((d) => JSON.parse(d.model) as Record<string, unknown>);

test("every alert signal of the catalog converts to query, presence math (probe down: value math) and threshold", () => {
  const signals = new Set(alerts.map((a) => a.labels.signal));
  for (const s of [
    "probe",
    "tls",
    "error_rate",
    "latency",
    "saturation",
    "slo_burn",
    "heartbeat",
    "quota",
    "budget",
    "custom",
  ]) {
    assert.ok(signals.has(s as AlertRule["labels"]["signal"]), `the fixture has no ${s} alert`);
  }
  for (const alert of alerts) {
    const r = convertedOf(alert);
    assert.equal(r.condition, "C", alert.id);
    assert.deepEqual(
      r.datas.map((d) => d.refId),
      ["A", "B", "C"],
    );
    const [a, b, c] = models(r);
    const uid = alert.grafana?.datasourceUid ?? "prom-uid";
    const hold = alert.holdWhileMissing;
    assert.equal(a.expr, hold ? hold.valueExpr : (alert.grafana?.expr ?? alert.expr));
    assert.equal(a.instant, true);
    assert.equal(a.range, false);
    assert.deepEqual(a.datasource, { type: "prometheus", uid });
    assert.deepEqual(r.datas[0].relativeTimeRange, { from: QUERY_RANGE_SECONDS, to: 0 });
    assert.equal(r.datas[0].datasourceUid, uid);
    assert.deepEqual(
      [r.datas[1].datasourceUid, b.type, b.expression],
      [EXPRESSION_DATASOURCE, "math", hold ? VALUE_MATH : PRESENCE_MATH],
    );
    assert.deepEqual([r.datas[2].datasourceUid, c.type, c.expression], [EXPRESSION_DATASOURCE, "threshold", "B"]);
    assert.deepEqual(c.conditions, [{ evaluator: { type: "gt", params: [0] } }]);
  }
});

test("NotificationsFailing reads Grafana Cloud's own notifier failures from the grafanacloud-usage data source, not Alertmanager's metric", () => {
  const r = convertedOf({ id: "monitoring/notifications-failing" });
  const [a] = models(r);
  assert.equal(a.expr, "sum(grafanacloud_grafana_instance_alerting_notifications_failed_total:rate5m) > 0");
  assert.equal(r.datas[0].datasourceUid, "grafanacloud-usage");
  assert.equal(r.noDataState, "OK");
  assert.ok(
    converted
      .flatMap((g) => g.rules)
      .every((x) => !x.datas[0].model.includes("alertmanager_notifications_failed_total")),
  );
});

test("alerts keep the model's labels, annotations and no-data behaviour; a failing query keeps the alert's state, as in Prometheus", () => {
  for (const alert of alerts) {
    const r = convertedOf(alert);
    assert.deepEqual(r.labels, alert.labels);
    for (const [k, v] of Object.entries(alert.annotations)) assert.equal(r.annotations[k], v, `${alert.id} ${k}`);
    assert.equal(r.noDataState, alert.noData);
    assert.equal(r.execErrState, "KeepLast");
    assert.equal(r.for, formatDuration(alert.forMs));
  }
});

test("an empty query result is healthy (NoData = OK) for every presence-form alert; only the Watchdog treats it as firing", () => {
  for (const alert of alerts.filter((a) => !a.holdWhileMissing)) {
    assert.equal(convertedOf(alert).noDataState, alert.alert === "Watchdog" ? "Alerting" : "OK", alert.id);
  }
});

test("ProbeDown in Grafana queries 1 while failing and 0 while passing, and keeps its last state without probe data", () => {
  const sem = loadCatalogFile(join(__dirname, "..", "fixtures", "semantics", "catalog.yaml"));
  const rules = grafanaRuleGroups(ruleGroupsOf(sem, { customRules: {}, profile: "prod" }), {
    catalog: sem,
    datasourceUid: "prom-uid",
    features,
  }).flatMap((g) => g.rules);
  const probe = rules.find((r) => r.name === "ProbeDown (web/probe)")!;
  // The same expression test/fixtures/semantics/probes.test.yml evaluates with promtool (1, 0, nothing).
  assert.equal(models(probe)[0].expr, 'max(last_over_time(probe_success{job="web-health"}[10m10s])) < bool 1');
  assert.equal(models(probe)[1].expression, "$A > 0");
  assert.equal(probe.noDataState, "KeepLast");
  assert.equal(probe.execErrState, "KeepLast");
  const missing = rules.find((r) => r.name === "ProbeDataMissing (web/probe_data_missing)")!;
  assert.ok(
    (models(missing)[0].expr as string).startsWith(
      '(absent_over_time(probe_success{job="web-health"}[10m10s])) unless on () (',
    ),
    "suppressed while ProbeDown (P0) fires, in the same PromQL as Prometheus",
  );
  assert.equal(missing.noDataState, "OK");
});

test("from Grafana 12.0 every alert resolves at the first evaluation without its series, as Prometheus and Grafana's own converter do; before it the field is not sent", () => {
  for (const r of converted.flatMap((g) => g.rules).filter((x) => !x.record))
    assert.equal(r.missingSeriesEvalsToResolve, 1, r.name);
  assert.deepEqual(GRAFANA_SINCE.missingSeriesEvalsToResolve.version, [12, 0, 0]);
  for (const [version, sent] of [
    ["11.6.3", false],
    ["12.0", true],
  ] as const) {
    const old = { ...catalog, grafanaVersion: { ...catalog.grafanaVersion, version: parseVersion(version) } };
    const rules = grafanaRuleGroups(model, { catalog: old, datasourceUid: "prom-uid", features: grafanaFeatures(old) });
    const alert = rules.flatMap((g) => g.rules).find((r) => !r.record)!;
    assert.equal("missingSeriesEvalsToResolve" in alert, sent, version);
  }
  for (const g of converted)
    for (const r of g.rules.filter((x) => x.record)) assert.ok(!("missingSeriesEvalsToResolve" in r));
});

test("exec-error KeepLast exists in every Grafana the prod stack supports (from 11.0)", () => {
  assert.ok(atLeast([11, 0, 0], GRAFANA_SINCE.execErrStateKeepLast.version));
});

test("alerts shown on a dashboard link to its panel by uid and panel id", () => {
  const linked = alerts.filter((a) => a.dashboard);
  assert.ok(linked.length > 10);
  for (const alert of linked) {
    const link = dashboardLink(catalog, alert.dashboard!.key, alert.dashboard!.panel);
    const r = convertedOf(alert);
    assert.equal(r.annotations.__dashboardUid__, link.uid);
    assert.equal(r.annotations.__panelId__, String(link.panelId));
  }
  for (const alert of alerts.filter((a) => !a.dashboard))
    assert.equal(convertedOf(alert).annotations.__dashboardUid__, undefined);
});

test("recording rules write their query back under the record name to the same data source", () => {
  const records = model.flatMap((g) => g.rules).filter((r) => r.kind === "record");
  assert.ok(records.length > 0);
  for (const rec of records) {
    const r = convertedOf(rec);
    assert.deepEqual(r.record, { metric: rec.record, from: "A", targetDatasourceUid: "prom-uid" });
    assert.deepEqual(
      r.datas.map((d) => d.refId),
      ["A"],
    );
    assert.equal(models(r)[0].expr, rec.expr);
    assert.deepEqual(r.labels, rec.labels);
    assert.equal(r.condition, undefined);
    assert.equal(r.for, undefined);
  }
});

test("every rule has an explicit uid of at most 40 characters, unique and derived from its identity", () => {
  const all = converted.flatMap((g) => g.rules);
  assert.equal(byUid.size, all.length);
  for (const r of all) assert.match(r.uid ?? "", /^[a-z0-9-]{1,40}$/);
  const reordered = grafanaRuleGroups(
    [...model].reverse().map((g) => ({ ...g, rules: [...g.rules].reverse() })),
    { catalog, datasourceUid: "prom-uid", features },
  );
  for (const r of reordered.flatMap((g) => g.rules)) assert.equal(byUid.get(r.uid)?.name, r.name);
});

test("group intervals are whole seconds and groups keep the model's names", () => {
  assert.deepEqual(
    converted.map((g) => g.name),
    model.map((g) => g.name),
  );
  for (const g of converted) assert.equal(g.intervalSeconds, 60);
});

test("durations and query models are in the form Grafana returns", () => {
  const group: RuleGroup = {
    name: "acme-api",
    service: "api",
    intervalMs: 60_000,
    rules: [
      {
        kind: "alert",
        id: "api/slow",
        alert: "Slow",
        expr: "up == 0",
        forMs: 60 * 60_000,
        runbook: "latency",
        noData: "OK",
        labels: { service: "api", severity: "P2", signal: "latency", team: "ops" },
        annotations: { summary: "s", description: "d", runbook_url: "r" },
      },
    ],
  };
  const [rule] = grafanaRuleGroups([group], { catalog, datasourceUid: "p", features })[0].rules;
  assert.equal(rule.for, "1h");
  for (const d of rule.datas) {
    assert.equal(d.model, canonicalJson(JSON.parse(d.model)));
    const model = JSON.parse(d.model) as { intervalMs: number; maxDataPoints: number };
    assert.deepEqual([model.intervalMs, model.maxDataPoints], [1000, 43200]);
  }
});

test("two rules whose ids slug to the same uid are refused, naming both", () => {
  const rule = (id: string): RuleGroup["rules"][number] => ({
    kind: "record",
    id,
    record: "x:y",
    expr: "up",
    labels: {},
  });
  assert.throws(
    () =>
      checkIdentities(catalog.system, [
        { name: "g", service: "s", intervalMs: 60_000, rules: [rule("web/error_rate"), rule("web/error-rate")] },
      ]),
    /web\/error_rate and web\/error-rate/,
  );
});
