/**
 * SLOs: error-ratio recording rules per window and multi-window multi-burn-rate alerts
 * (SRE workbook ch. 5): page on 14.4x over 1h and 5m or 6x over 6h and 30m; ticket on
 * 3x over 1d and 2h or 1x over 3d and 6h.
 */
import type { Service, Slo } from "../catalog/model";
import { formatDuration, formatNumber, formatPercent } from "../catalog/units";
import {
  LABEL,
  METRIC,
  PANEL,
  SLO_BUDGET_REMAINING_RECORD,
  SLO_BURN_FACTORS,
  SLO_OBJECTIVE_RECORD,
  SLO_WINDOWS,
  probeSelector,
  sloErrorRatioRecord,
} from "../conventions";
import { alertRule, lazily, recordingRule } from "./alert";
import { serviceScope, type Scope } from "./scope";
import type { GenContext } from "./context";
import { burnCrossing, probeCollection, scrapeCollection } from "./detection";
import type { Detection, InputSeries, Rule, RuleTest } from "./model";
import { requestSeries } from "./service-rules";
import { counter, gauge, labelsMatching, series } from "./synth";

type Window = (typeof SLO_WINDOWS)[number];

interface BurnCondition {
  factor: number;
  long: Window;
  short: Window;
}

const [FAST, MEDIUM, SLOW, SLOWEST] = SLO_BURN_FACTORS;
export const PAGE_BURN: BurnCondition[] = [
  { factor: FAST, long: "1h", short: "5m" },
  { factor: MEDIUM, long: "6h", short: "30m" },
];
export const TICKET_BURN: BurnCondition[] = [
  { factor: SLOW, long: "1d", short: "2h" },
  { factor: SLOWEST, long: "3d", short: "6h" },
];

/**
 * No `for`, as in Sloth and the SRE workbook: the short window of each pair is the flap guard
 * (the alert resets as soon as the short window recovers), and a `for` would only delay
 * detection (measured in test/alerts/burn-rate.test.ts).
 */
const PAGE_FOR_MS = 0;
const TICKET_FOR_MS = 0;

/** Bucket-boundary matcher tolerant of `0.5` / `0.50` / `3` / `3.0` spellings of `le`. */
export function leMatcher(seconds: number): string {
  const text = formatNumber(seconds);
  const pattern = text.includes(".") ? `${text.replace(".", "\\\\.")}0*` : `${text}(\\\\.0*)?`;
  return `le=~"${pattern}"`;
}

/** The SLI's error ratio over window `w`; probe SLIs take a scope over the probe jobs. */
function errorRatioExpr(scope: Scope, svc: Service, slo: Slo, w: Window): string {
  const hist = svc.metrics.duration;
  const total = scope.agg("sum", `rate(${hist}_count${scope.select()}[${w}])`);
  switch (slo.sli) {
    case "availability":
      return `(${scope.agg("sum", `rate(${hist}_count${scope.select(svc.metrics.errors)}[${w}])`)} or 0 * ${total}) / ${total}`;
    case "latency":
      return `1 - (${scope.agg("sum", `rate(${hist}_bucket${scope.select(leMatcher(slo.thresholdMs! / 1000))}[${w}])`)} / ${total})`;
    case "probe":
      return `1 - ${scope.agg("avg", `avg_over_time(${METRIC.probeSuccess}${scope.select()}[${w}])`)}`;
  }
}

/** Error-ratio recording rules of an SLO over every window, for one service or a shared scope. */
export function sloRatioRecords(scope: Scope, svc: Service, slo: Slo): Rule[] {
  return SLO_WINDOWS.map((w) =>
    recordingRule(
      `${scope.id}/slo/${slo.name}/ratio/${w}`,
      sloErrorRatioRecord(w),
      errorRatioExpr(scope, svc, slo, w),
      { ...scope.labels, [LABEL.slo]: slo.name },
      scope.services,
    ),
  );
}

/** The scope of an SLO's own ratio rules when no shared rule covers it. */
export function ownSloScope(svc: Service, slo: Slo): Scope {
  return slo.sli === "probe"
    ? serviceScope(svc.name, probeSelector(svc.name))
    : serviceScope(svc.name, svc.metrics.latencySelector);
}

/** `sloErrorRatioRecord` of each window. */
const RATIO_RECORD = Object.fromEntries(SLO_WINDOWS.map((w) => [w, sloErrorRatioRecord(w)])) as Record<Window, string>;

function burnExpr(labels: string, budget: number, conditions: BurnCondition[]): string {
  let expr = "";
  for (const { factor, long, short } of conditions) {
    const bound = formatNumber(factor * budget);
    if (expr) expr += " or ";
    expr += `(${RATIO_RECORD[long]}${labels} > ${bound} and ${RATIO_RECORD[short]}${labels} > ${bound})`;
  }
  return expr;
}

const BURN_PANEL = { key: "slos", panel: PANEL.sloBurn } as const;

/** Objective, budget and burn-rate alerts of a service's SLOs; `ownRatios` adds ratio rules no shared rule covers. */
export function sloRules(ctx: GenContext, svc: Service, ownRatios: (slo: Slo) => boolean): Rule[] {
  const rules: Rule[] = [];
  for (const slo of svc.slos) {
    const labels = { [LABEL.service]: svc.name, [LABEL.slo]: slo.name };
    const match = `{${LABEL.service}="${svc.name}", ${LABEL.slo}="${slo.name}"}`;
    const budget = 1 - slo.objective;
    const id = `${svc.name}/slo/${slo.name}`;
    const window = formatDuration(slo.windowMs);
    if (ownRatios(slo)) rules.push(...sloRatioRecords(ownSloScope(svc, slo), svc, slo));
    rules.push(
      recordingRule(`${id}/objective`, SLO_OBJECTIVE_RECORD, `vector(${formatNumber(slo.objective)})`, labels),
      recordingRule(
        `${id}/budget_remaining`,
        SLO_BUDGET_REMAINING_RECORD,
        `1 - (avg_over_time(${RATIO_RECORD["5m"]}${match}[${window}]) / ${formatNumber(budget)})`,
        labels,
      ),
    );
    const objective = formatPercent(slo.objective);
    const sloLabel = { [LABEL.slo]: slo.name };
    rules.push(
      alertRule(ctx, {
        id: `${id}/page`,
        alert: "SloErrorBudgetFastBurn",
        expr: burnExpr(match, budget, PAGE_BURN),
        forMs: PAGE_FOR_MS,
        service: svc.name,
        team: svc.team,
        severity: slo.page,
        signal: "slo_burn",
        labels: sloLabel,
        summary: `${svc.name} ${slo.name} SLO (${objective}) burning its error budget fast`,
        description: `${svc.name} ${slo.sli} SLO ${slo.name} (${objective} over ${window}) is burning error budget at 14.4x over 1h and 5m, or 6x over 6h and 30m: at this rate 2% of the budget goes per hour.`,
        runbook: "slo_fast",
        dashboard: BURN_PANEL,
        noData: "OK",
        threshold: objective,
        detection: lazily(sloDetection, svc, slo, PAGE_BURN, ctx.profile),
        test: lazily(burnTest, svc, slo, PAGE_FOR_MS, 15 * 60_000),
      }),
      alertRule(ctx, {
        id: `${id}/ticket`,
        alert: "SloErrorBudgetSlowBurn",
        expr: burnExpr(match, budget, TICKET_BURN),
        forMs: TICKET_FOR_MS,
        service: svc.name,
        team: svc.team,
        severity: slo.ticket,
        signal: "slo_burn",
        labels: sloLabel,
        summary: `${svc.name} ${slo.name} SLO (${objective}) burning its error budget`,
        description: `${svc.name} ${slo.sli} SLO ${slo.name} (${objective} over ${window}) is burning error budget at 3x over 1d and 2h, or 1x over 3d and 6h: the budget will not last the window.`,
        runbook: "slo_slow",
        dashboard: BURN_PANEL,
        noData: "OK",
        threshold: objective,
        detection: lazily(sloDetection, svc, slo, TICKET_BURN, ctx.profile),
        test: lazily(burnTest, svc, slo, TICKET_FOR_MS, 30 * 60_000),
      }),
    );
  }
  return rules;
}

/** Burn-rate alerts under a full outage: every request bad (latency: every request slower than the threshold). */
function sloDetection(svc: Service, slo: Slo, pairs: BurnCondition[], profile: "prod" | "local"): Detection {
  const budget = 1 - slo.objective;
  if (slo.sli === "probe")
    return burnCrossing("a full outage: every probe fails", probeCollection(svc.health[0], profile), budget, pairs);
  const incident =
    slo.sli === "latency"
      ? `every request slower than ${formatDuration(slo.thresholdMs!)}`
      : "a full outage: every request fails";
  return burnCrossing(incident, scrapeCollection(profile, svc.metrics.scrape?.everyMs), budget, pairs);
}

/** Fire: every request bad (or probe failing); quiet: errors at half the budget. */
function burnTest(svc: Service, slo: Slo, forMs: number, afterMs: number): RuleTest | undefined {
  const intervalMs = 60_000;
  const evalAfterMs = forMs + afterMs;
  const steps = Math.ceil(evalAfterMs / intervalMs) + 5;
  const budget = 1 - slo.objective;
  const records = [...SLO_WINDOWS.map(sloErrorRatioRecord)];
  const base = { evalAfterMs, intervalMs, records, extraLabels: { [LABEL.slo]: slo.name } };
  // No `for`: fires at the first evaluation whose windows hold a rate (the second sample).
  const counted = { ...base, firesAtMs: intervalMs + forMs };
  if (slo.sli === "availability") {
    const fire = requestSeries(svc, 1, steps);
    const quiet = requestSeries(svc, budget / 2, steps);
    return fire && quiet ? { ...counted, fire, quiet } : undefined;
  }
  if (slo.sli === "probe") {
    const probe = (values: string): InputSeries[] => [
      { series: `${METRIC.probeSuccess}{${probeSelector(svc.name)}, instance="${svc.health[0].url}"}`, values },
    ];
    // Quiet: one failed probe in every 2/budget, i.e. half the budget.
    const period = Math.max(2, Math.round(2 / budget));
    const quietValues = Array.from({ length: steps }, (_, i) => (i % period === period - 1 ? 0 : 1)).join(" ");
    return { ...base, firesAtMs: forMs, fire: probe(gauge(0, steps)), quiet: probe(quietValues) };
  }
  const s = labelsMatching(svc.metrics.latencySelector);
  if (!s) return undefined;
  const le = formatNumber(slo.thresholdMs! / 1000);
  const set = (goodShare: number): InputSeries[] => [
    {
      series: series(`${svc.metrics.duration}_bucket`, s, { le }),
      values: counter(Math.round(100_000 * goodShare), steps),
    },
    { series: series(`${svc.metrics.duration}_bucket`, s, { le: "+Inf" }), values: counter(100_000, steps) },
    { series: series(`${svc.metrics.duration}_count`, s), values: counter(100_000, steps) },
  ];
  return { ...counted, fire: set(0), quiet: set(1 - budget / 2) };
}
