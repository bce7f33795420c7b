/**
 * Paid third-party APIs and platforms: quota used per period, rate limits, size quotas and
 * failure rate of calls. Gauges that may be pushed once (quota used, usage bytes) are read as
 * their last value within the quota period (a day for sizes).
 */
import type { ExternalApi, RateLimit, SizeQuota } from "../catalog/model";
import { formatDuration, formatNumber, formatPercent } from "../catalog/units";
import {
  API_LABEL,
  METRIC,
  OUTCOME,
  OUTCOME_LABEL,
  PANEL,
  QUOTA_PERIOD_MS,
  RATE_LIMIT_LABEL,
  RATE_PERIOD_MS,
  REC,
  RESOURCE_LABEL,
  USAGE_READ_WINDOW_MS,
} from "../conventions";
import { alertRule, recordingRule, sel } from "./alert";
import type { GenContext } from "./context";
import { crossesAtOnce, scrapeCollection, windowShare } from "./detection";
import type { InputSeries, Rule, RuleTest } from "./model";
import { counter, firstEvalAt, gauge, labelsMatching, percentFraction, series as synthSeries } from "./synth";

export function externalApiRules(ctx: GenContext, api: ExternalApi): Rule[] {
  const rules: Rule[] = [];
  const apiSel = `${API_LABEL}="${api.name}"`;
  const labels = { [API_LABEL]: api.name };
  if (api.quota !== undefined) {
    const alertAt = api.quota * api.alertAt;
    const window = formatDuration(QUOTA_PERIOD_MS[api.period]);
    // Pushed once at 0s, then nothing for 6h: read within the period, it still counts at 6h.
    const used = (v: number): InputSeries[] => [{ series: `${METRIC.quotaUsed}{${apiSel}}`, values: `${v} _x360` }];
    const usedExpr = `max(last_over_time(${METRIC.quotaUsed}{${apiSel}}[${window}]))`;
    rules.push(
      recordingRule(`${api.name}/rec/quota_used`, REC.quotaUsed, usedExpr, labels),
      recordingRule(`${api.name}/rec/quota_limit`, REC.quotaLimit, `vector(${formatNumber(api.quota)})`, labels),
      recordingRule(`${api.name}/rec/quota_alert_at`, REC.quotaAlertAt, `vector(${formatNumber(alertAt)})`, labels),
      alertRule(ctx, {
        id: `${api.name}/quota`,
        alert: "ExternalApiQuotaHigh",
        expr: `${usedExpr} >= ${formatNumber(alertAt)}`,
        forMs: 0,
        service: api.name,
        team: api.team,
        severity: api.severity,
        signal: "quota",
        summary: `${api.name} has used ${formatPercent(api.alertAt)} of its ${api.quota}-call ${api.period}ly quota`,
        description: `${api.name} calls this ${api.period} reached ${formatNumber(alertAt)} of ${api.quota} (${formatPercent(api.alertAt)}). When the quota runs out its features stop working until the period resets.`,
        runbook: "quota",
        dashboard: { key: "external-apis", panel: PANEL.quotaUsed },
        noData: "OK",
        threshold: formatPercent(api.alertAt),
        detection: () => crossesAtOnce("usage steps to twice the alert level", scrapeCollection(ctx.profile), false),
        test: {
          fire: used(Math.ceil(alertAt)),
          quiet: used(Math.floor(alertAt / 2)),
          ...exactlyAt(api.quota, api.alertAt, used),
          evalAfterMs: 6 * 3600_000,
          firesAtMs: 0,
          intervalMs: 60_000,
        },
      }),
    );
  }
  for (const limit of api.rateLimits) rules.push(...rateLimitRules(ctx, api, limit));
  for (const size of api.sizes) rules.push(...sizeRules(ctx, api, size));
  const calls = (outcome: string) => `sum(rate(${METRIC.externalApiRequests}{${apiSel}${outcome}}[5m]))`;
  for (const t of api.failureRate) {
    const evalAfterMs = t.forMs + 10 * 60_000;
    const n = Math.ceil(evalAfterMs / 60_000) + 5;
    const counts = (failed: number, succeeded: number): InputSeries[] => [
      {
        series: `${METRIC.externalApiRequests}{${apiSel}, ${OUTCOME_LABEL}="${OUTCOME.failure}"}`,
        values: counter(failed, n),
      },
      {
        series: `${METRIC.externalApiRequests}{${apiSel}, ${OUTCOME_LABEL}="${OUTCOME.success}"}`,
        values: counter(succeeded, n),
      },
    ];
    const share = (failure: number) => counts(Math.round(failure * 10_000), Math.round((1 - failure) * 10_000));

    rules.push(
      alertRule(ctx, {
        id: `${api.name}/failure_rate/${t.severity}`,
        alert: "ExternalApiFailureRateHigh",
        expr: `(${calls(`, ${OUTCOME_LABEL}="${OUTCOME.failure}"`)} or vector(0)) / ${calls("")} > ${formatNumber(t.value)}`,
        forMs: t.forMs,
        service: api.name,
        team: api.team,
        severity: t.severity,
        signal: "error_rate",
        summary: `${api.name} calls failing above ${t.display}`,
        description: `More than ${t.display} of calls to ${api.name} failed over 5m.`,
        runbook: "error_rate",
        dashboard: { key: "external-apis", panel: PANEL.apiFailureRate },
        noData: "OK",
        threshold: t.display,
        detection: () =>
          windowShare("a full outage: every call fails", scrapeCollection(ctx.profile), t.value, 5 * 60_000, false),
        test: {
          fire: share((t.value + 1) / 2),
          quiet: share(t.value / 2),
          evalAfterMs,
          // Counters: the first rate is at the second sample.
          firesAtMs: 60_000 + firstEvalAt(t.forMs, 60_000),
          intervalMs: 60_000,
        },
      }),
    );
  }
  return rules;
}

/**
 * A gauge exactly at `alertAt` of `limit` ("80%" of 500: 500 x 80 / 100 = 400, computed from the
 * catalog's numbers in one division), which "reaches" includes: the alert fires.
 */
function exactlyAt(limit: number, alertAt: number, gauge: (v: number) => InputSeries[]): Pick<RuleTest, "atBound"> {
  const share = percentFraction(formatPercent(alertAt));
  return share ? { atBound: { series: gauge((limit * share.num) / share.den), fires: true } } : {};
}

/** Window the call rate is averaged over: the limit's period, at least 2m (two scrapes at 1m). */
function rateWindowMs(limit: RateLimit): number {
  return Math.max(RATE_PERIOD_MS[limit.per], 2 * 60_000);
}

function rateLimitRules(ctx: GenContext, api: ExternalApi, limit: RateLimit): Rule[] {
  const perSecond = limit.calls / (RATE_PERIOD_MS[limit.per] / 1000);
  const bound = perSecond * limit.alertAt;
  const windowMs = rateWindowMs(limit);
  const labels = { [API_LABEL]: api.name, [RATE_LIMIT_LABEL]: limit.per };
  const apiSel = `${API_LABEL}="${api.name}"`;
  const evalAfterMs = limit.forMs + windowMs + 10 * 60_000;
  const steps = Math.ceil(evalAfterMs / 60_000) + 5;
  const calls = (share: number): InputSeries[] => [
    {
      series: `${METRIC.externalApiRequests}{${apiSel}, ${OUTCOME_LABEL}="${OUTCOME.success}"}`,
      values: counter(Number((perSecond * share * 60).toPrecision(12)), steps),
    },
  ];
  const limitText = `${formatNumber(limit.calls)} calls/${limit.per}`;
  return [
    recordingRule(
      `${api.name}/rec/rate_limit/${limit.per}`,
      REC.rateLimit,
      `vector(${formatNumber(perSecond)})`,
      labels,
    ),
    recordingRule(
      `${api.name}/rec/rate_limit_alert_at/${limit.per}`,
      REC.rateLimitAlertAt,
      `vector(${formatNumber(bound)})`,
      labels,
    ),
    alertRule(ctx, {
      id: `${api.name}/rate_limit/${limit.per}`,
      alert: "ExternalApiRateLimitHigh",
      expr: `sum(rate(${METRIC.externalApiRequests}{${apiSel}}[${formatDuration(windowMs)}])) >= ${formatNumber(bound)}`,
      forMs: limit.forMs,
      detection: () =>
        windowShare("calls step to twice the alert level", scrapeCollection(ctx.profile), 0.5, windowMs, false),
      service: api.name,
      team: api.team,
      severity: limit.severity,
      signal: "quota",
      summary: `${api.name} calls at ${formatPercent(limit.alertAt)} of its ${limitText} rate limit`,
      description: `Calls to ${api.name} (${METRIC.externalApiRequests}, averaged over ${formatDuration(windowMs)}) ran at ${formatPercent(limit.alertAt)} or more of its rate limit of ${limitText} for ${formatDuration(limit.forMs)}; above the limit the API refuses calls (HTTP 429).`,
      runbook: "quota",
      dashboard: { key: "external-apis", panel: PANEL.rateLimitUsed },
      noData: "OK",
      threshold: formatPercent(limit.alertAt),
      labels: { [RATE_LIMIT_LABEL]: limit.per },
      test: { fire: calls((1 + limit.alertAt) / 2), quiet: calls(limit.alertAt / 2), evalAfterMs, intervalMs: 60_000 },
    }),
  ];
}

/**
 * What a size quota's usage is read from: the database's `pg_database_size_bytes` summed over
 * its databases (`sizes[].database`, with a recording rule for the dashboard), else the usage
 * gauge's last value within a day; and test series holding `bytes` for 6h.
 */
function sizeUsage(
  ctx: GenContext,
  api: ExternalApi,
  size: SizeQuota,
): { expr: string; what: string; rules: Rule[]; series?: (bytes: number) => InputSeries[] } {
  const labels = { [API_LABEL]: api.name, [RESOURCE_LABEL]: size.resource };
  const db = ctx.catalog.services.find((s) => s.name === size.database);
  if (db) {
    const expr = `sum(${METRIC.pgDatabaseSize}${sel(db.metrics.selector)})`;
    const s = labelsMatching(db.metrics.selector);
    // Two databases of the instance, each below the alert line alone: the quota counts their sum.
    const series =
      s &&
      ((bytes: number): InputSeries[] =>
        ["postgres", "storage"].map((datname) => ({
          series: synthSeries(METRIC.pgDatabaseSize, s, { datname }),
          values: gauge(bytes / 2, 360),
        })));
    return {
      expr,
      what: `${db.name}'s ${METRIC.pgDatabaseSize}, summed over its databases`,
      rules: [recordingRule(`${api.name}/rec/size_used/${size.resource}`, REC.sizeUsed, expr, labels)],
      series,
    };
  }
  const match = `${API_LABEL}="${api.name}", ${RESOURCE_LABEL}="${size.resource}"`;
  const window = formatDuration(USAGE_READ_WINDOW_MS);
  return {
    expr: `max(last_over_time(${METRIC.usageBytes}{${match}}[${window}]))`,
    what: `${METRIC.usageBytes}, last value within ${window}`,
    rules: [],
    // Pushed once at 0s, then nothing for 6h: the last value within a day still counts.
    series: (bytes) => [{ series: `${METRIC.usageBytes}{${match}}`, values: `${formatNumber(bytes)} _x360` }],
  };
}

function sizeRules(ctx: GenContext, api: ExternalApi, size: SizeQuota): Rule[] {
  const bound = size.limitBytes * size.alertAt;
  const labels = { [API_LABEL]: api.name, [RESOURCE_LABEL]: size.resource };
  const usage = sizeUsage(ctx, api, size);
  return [
    ...usage.rules,
    recordingRule(
      `${api.name}/rec/size_limit/${size.resource}`,
      REC.sizeLimit,
      `vector(${formatNumber(size.limitBytes)})`,
      labels,
    ),
    recordingRule(
      `${api.name}/rec/size_alert_at/${size.resource}`,
      REC.sizeAlertAt,
      `vector(${formatNumber(bound)})`,
      labels,
    ),
    alertRule(ctx, {
      id: `${api.name}/size/${size.resource}`,
      alert: "ExternalApiSizeQuotaHigh",
      expr: `${usage.expr} >= ${formatNumber(bound)}`,
      forMs: 0,
      service: api.name,
      team: api.team,
      severity: size.severity,
      signal: "quota",
      summary: `${api.name} ${size.resource} at ${formatPercent(size.alertAt)} of its ${size.display} quota`,
      description: `${api.name} ${size.resource} usage (${usage.what}) reached ${formatPercent(size.alertAt)} of the plan's ${size.display}; at the limit the platform restricts or bills the overage.`,
      runbook: "quota",
      dashboard: { key: "external-apis", panel: PANEL.sizeUsed },
      noData: "OK",
      threshold: formatPercent(size.alertAt),
      detection: () => crossesAtOnce("usage steps to twice the alert level", scrapeCollection(ctx.profile), false),
      labels: { [RESOURCE_LABEL]: size.resource },
      test: usage.series && {
        fire: usage.series((bound + size.limitBytes) / 2),
        quiet: usage.series(bound / 2),
        ...exactlyAt(size.limitBytes, size.alertAt, usage.series),
        evalAfterMs: 6 * 3600_000,
        firesAtMs: 0,
        intervalMs: 60_000,
      },
    }),
  ];
}
