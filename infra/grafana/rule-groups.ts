/**
 * The rule model → Grafana-managed rule groups, as plain provider inputs (no Pulumi).
 *
 * Alerts take the form Grafana's own Prometheus import produces: an instant query (A) over
 * the last 600s, a math step turning every returned series into 1 (B:
 * `is_number($A) || is_nan($A) || is_inf($A)`) and a threshold `$B > 0` (C) as the condition,
 * so a rule fires for exactly the series its PromQL returns; an empty result is NoData = OK
 * (healthy), as in Grafana's conversion. Probe alerts (`holdWhileMissing`) instead query a
 * value that is 1 while failing and 0 while passing (B: `$A > 0`), so an empty result means
 * the data is missing, and NoData = KeepLast neither resolves nor raises them. As Grafana's
 * converter does "to match Prometheus", an alert resolves at the first evaluation without its
 * series (`missingSeriesEvalsToResolve: 1`, Grafana ≥ 12.0) and a failing query keeps its state
 * (`execErrState: KeepLast`) instead of raising DatasourceError. Recording rules query A and
 * write it back with `record`. Every value is spelled as Grafana returns it (durations like
 * `1h`, not `60m`; query models with `intervalMs`/`maxDataPoints`; sorted JSON keys), so a
 * second `pulumi up` finds nothing to change.
 */
import * as alerting from "@grafana/grafana-foundation-sdk/alerting";
import * as expr from "@grafana/grafana-foundation-sdk/expr";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import { CatalogError } from "../../catalog/diagnostics";
import type { Catalog } from "../../catalog/model";
import { formatDuration } from "../../catalog/units";
import type { AlertRule, RecordingRule, RuleGroup } from "../../alerts/model";
import { grafanaRuleTitle, ruleUid } from "../../conventions";
import { dashboardLinks } from "../../dashboards";
import { grafanaTemplate } from "../../alerts/grafana-templates";
import { canonicalJson } from "./canonical";
import type { GrafanaFeatures } from "./versions";

/** Grafana's uid of server-side expressions. */
export const EXPRESSION_DATASOURCE = "__expr__";
/** Prometheus conversion math: 1 for every series the query returned. */
export const PRESENCE_MATH = "is_number($A) || is_nan($A) || is_inf($A)";
/** Seconds of history the instant query may look back. */
export const QUERY_RANGE_SECONDS = 600;
/** Model defaults Grafana adds to every query and expression it stores. */
const MODEL_DEFAULTS = { intervalMs: 1000, maxDataPoints: 43200 } as const;

export interface RuleData {
  refId: string;
  datasourceUid: string;
  relativeTimeRange: { from: number; to: number };
  /** JSON, keys sorted. */
  model: string;
}

export interface GrafanaRule {
  /** Where the Grafana version takes explicit uids (`GrafanaFeatures.ruleUids`); else the title identifies the rule. */
  uid?: string;
  name: string;
  datas: RuleData[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Alerts only. */
  condition?: string;
  for?: string;
  keepFiringFor?: string;
  noDataState?: AlertRule["noData"];
  /** Every supported version takes KeepLast (`GRAFANA_SINCE.execErrStateKeepLast`). */
  execErrState?: "KeepLast";
  /** 1 where the version takes it: resolve at the first evaluation without the series, as Prometheus does. */
  missingSeriesEvalsToResolve?: number;
  /** Recording rules only. */
  record?: { metric: string; from: string; targetDatasourceUid?: string };
}

export interface GrafanaRuleGroup {
  name: string;
  intervalSeconds: number;
  rules: GrafanaRule[];
}

export interface RuleGroupOptions {
  catalog: Catalog;
  /** Prometheus data source rules query and recording rules write to. */
  datasourceUid: string;
  /** What the prod Grafana supports (`versions.ts`). */
  features: GrafanaFeatures;
}

/*
 * Provider inputs are built with their keys in sorted order, as the engine prints them
 * (`offline-registry.ts` `printable`), so a plan prints them without copying.
 */

/** An SDK rule query as the provider's `data` block, its model as canonical JSON. */
function ruleData(query: alerting.QueryBuilder): RuleData {
  const { refId, datasourceUid, relativeTimeRange, model } = query.build();
  return {
    datasourceUid: datasourceUid!,
    model: canonicalJson(model),
    refId: refId!,
    relativeTimeRange: { from: relativeTimeRange!.from!, to: relativeTimeRange!.to! },
  };
}

/** The instant query (A) of `datasourceUid`, built once with a placeholder expression. */
function instantQuery(datasourceUid: string): RuleData {
  const model = new prometheus.DataqueryBuilder()
    .datasource({ type: "prometheus", uid: datasourceUid })
    .expr(EXPR_PLACEHOLDER)
    .instant()
    .intervalMs(MODEL_DEFAULTS.intervalMs)
    .maxDataPoints(MODEL_DEFAULTS.maxDataPoints)
    .refId("A");
  return ruleData(
    new alerting.QueryBuilder("A")
      .datasourceUid(datasourceUid)
      .relativeTimeRange({ from: QUERY_RANGE_SECONDS, to: 0 })
      .model(model),
  );
}

/** No PromQL or data source uid holds a NUL. */
const EXPR_PLACEHOLDER = "\u0000expr";
const INSTANT_QUERIES = new Map<string, RuleData>();

/** The instant query (A): the data source's query with `promql` in place of the placeholder (both JSON strings). */
function queryData(promql: string, datasourceUid: string): RuleData {
  let query = INSTANT_QUERIES.get(datasourceUid);
  if (!query) {
    query = instantQuery(datasourceUid);
    INSTANT_QUERIES.set(datasourceUid, query);
  }
  return {
    datasourceUid: query.datasourceUid,
    model: query.model.replace(JSON.stringify(EXPR_PLACEHOLDER), () => JSON.stringify(promql)),
    refId: query.refId,
    relativeTimeRange: { ...query.relativeTimeRange },
  };
}

/** A server-side expression step; Grafana stores the model defaults on these too. */
function expressionData(refId: string, step: expr.TypeMathBuilder | expr.TypeThresholdBuilder): RuleData {
  const model = step
    .datasource({ type: EXPRESSION_DATASOURCE, uid: EXPRESSION_DATASOURCE })
    .refId(refId)
    .intervalMs(MODEL_DEFAULTS.intervalMs)
    .maxDataPoints(MODEL_DEFAULTS.maxDataPoints);
  return ruleData(
    new alerting.QueryBuilder(refId)
      .datasourceUid(EXPRESSION_DATASOURCE)
      .relativeTimeRange({ from: 0, to: 0 })
      .model(model),
  );
}

const THRESHOLD_STEP = expressionData(
  "C",
  new expr.TypeThresholdBuilder().expression("B").conditions([{ evaluator: { type: "gt", params: [0] } }]),
);

/** Steps B and C of presence-form alerts (every series the query returns fires). */
const PRESENCE_STEPS: readonly RuleData[] = [
  expressionData("B", new expr.TypeMathBuilder().expression(PRESENCE_MATH)),
  THRESHOLD_STEP,
];

/** Value-form math: the query returns 1 (firing) or 0 per series, nothing without data. */
export const VALUE_MATH = "$A > 0";
/** Steps B and C of value-form alerts (`holdWhileMissing`), whose missing data is NoData = KeepLast. */
const VALUE_STEPS: readonly RuleData[] = [
  expressionData("B", new expr.TypeMathBuilder().expression(VALUE_MATH)),
  THRESHOLD_STEP,
];

/** Refid of the instant query: its value is what Prometheus' `$value` holds. */
const QUERY_REF = "A";

/** Annotation or label templates as Grafana must read them (`alerts/grafana-templates.ts`), with `extra` texts as they are; keys sorted. */
function forGrafana(texts: Record<string, string>, extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(texts)) out[k] = grafanaTemplate(texts[k], QUERY_REF).text;
  Object.assign(out, extra);
  const keys = Object.keys(out);
  for (let i = 1; i < keys.length; i++)
    if (keys[i - 1] > keys[i]) return Object.fromEntries(keys.sort().map((k) => [k, out[k]]));
  return out;
}

function alertRule(rule: AlertRule, o: RuleGroupOptions, links: ReturnType<typeof dashboardLinks>): GrafanaRule {
  const { catalog } = o;
  let dashboard: Record<string, string> | undefined;
  if (rule.dashboard) {
    const link = links(rule.dashboard.key, rule.dashboard.panel);
    dashboard = { __dashboardUid__: link.uid, __panelId__: String(link.panelId) };
  }
  return {
    annotations: forGrafana(rule.annotations, dashboard),
    condition: "C",
    datas: rule.holdWhileMissing
      ? [queryData(rule.holdWhileMissing.valueExpr, o.datasourceUid), ...VALUE_STEPS]
      : [queryData(rule.grafana?.expr ?? rule.expr, rule.grafana?.datasourceUid ?? o.datasourceUid), ...PRESENCE_STEPS],
    execErrState: "KeepLast",
    for: formatDuration(rule.forMs),
    ...(rule.keepFiringForMs ? { keepFiringFor: formatDuration(rule.keepFiringForMs) } : {}),
    labels: forGrafana(rule.labels),
    ...(o.features.missingSeriesEvalsToResolve ? { missingSeriesEvalsToResolve: 1 } : {}),
    name: grafanaRuleTitle(rule.alert, rule.id),
    noDataState: rule.noData,
    ...(o.features.ruleUids ? { uid: ruleUid(catalog.system, rule.id) } : {}),
  };
}

function recordingRule(rule: RecordingRule, o: RuleGroupOptions): GrafanaRule {
  return {
    annotations: {},
    datas: [queryData(rule.expr, o.datasourceUid)],
    labels: Object.fromEntries(
      Object.keys(rule.labels)
        .sort()
        .map((k) => [k, rule.labels[k]]),
    ),
    name: grafanaRuleTitle(rule.record, rule.id),
    record: {
      from: "A",
      metric: rule.record,
      ...(o.features.targetDatasourceUid ? { targetDatasourceUid: o.datasourceUid } : {}),
    },
    ...(o.features.ruleUids ? { uid: ruleUid(o.catalog.system, rule.id) } : {}),
  };
}

/**
 * Grafana rule groups of the rule model, in model order. Throws, naming every rule, when the
 * Grafana version cannot keep what a rule says (`keep_firing_for` before 12.0).
 */
export function grafanaRuleGroups(groups: RuleGroup[], o: RuleGroupOptions): GrafanaRuleGroup[] {
  const problems = o.features.keepFiringFor
    ? []
    : groups.flatMap((g) =>
        g.rules.flatMap((r) =>
          r.kind === "alert" && r.keepFiringForMs
            ? [
                {
                  path: `${r.origin ?? r.id}.keep_firing_for`,
                  message: `needs Grafana 12.0 or later (grafana.version is ${o.catalog.grafanaVersion.version.join(".")}): older Grafana-managed rules have no keepFiringFor, so prod would resolve the alert earlier than Prometheus`,
                },
              ]
            : [],
        ),
      );
  if (problems.length) throw new CatalogError(problems, "rules");
  const links = dashboardLinks(o.catalog);
  return groups.map((g) => ({
    intervalSeconds: g.intervalMs / 1000,
    name: g.name,
    rules: g.rules.map((rule) => (rule.kind === "alert" ? alertRule(rule, o, links) : recordingRule(rule, o))),
  }));
}
