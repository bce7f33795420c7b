/**
 * Per-service recording rules (uniform `service:*` series the dashboards read) and the
 * plain threshold alerts on top of them: error rate, success rate, latency percentiles,
 * database connections and replication lag.
 */
import type { Service, Threshold, ThresholdKind, Signal } from "../catalog/model";
import { formatDuration, formatNumber } from "../catalog/units";
import {
  LABEL,
  LATENCY_QUANTILES,
  METRIC,
  PANEL,
  QUANTILE_LABEL,
  REC,
  type DashboardKey,
  type RunbookKey,
} from "../conventions";
import { alertRule, lazily, recordingRule, serviceSel } from "./alert";
import type { GenContext } from "./context";
import { crossesAtOnce, scrapeCollection, windowShare } from "./detection";
import type { Detection, InputSeries, Rule, RuleTest } from "./model";
import type { Scope } from "./scope";
import { counter, firstEvalAt, gauge, labelsMatching, labelsNotMatching, percentFraction, series } from "./synth";

export const QUANTILES = {
  latency_p50: LATENCY_QUANTILES.p50,
  latency_p95: LATENCY_QUANTILES.p95,
  latency_p99: LATENCY_QUANTILES.p99,
} as const;
const TEST_INTERVAL_MS = 60_000;
/** Window of the request recording rules (`rate(...[5m])`). */
const RATE_WINDOW_MS = 5 * 60_000;

/** Request rate, error ratio and latency quantiles of a scope, from its duration histogram. */
export function requestRecords(scope: Scope, hist: string, errors: string): Rule[] {
  const rec = (name: string, record: string, expr: string, labels: Record<string, string> = {}) =>
    recordingRule(`${scope.id}/rec/${name}`, record, expr, { ...scope.labels, ...labels }, scope.services);
  const total = scope.agg("sum", `rate(${hist}_count${scope.select()}[5m])`);
  const failed = scope.agg("sum", `rate(${hist}_count${scope.select(errors)}[5m])`);
  return [
    rec("requests", REC.requestRate, total),
    rec("errors", REC.errorRatio, `(${failed} or 0 * ${total}) / ${total}`),
    ...Object.values(QUANTILES).map((q) =>
      rec(
        `latency/${q}`,
        REC.latency,
        `histogram_quantile(${q}, ${scope.agg("sum", `rate(${hist}_bucket${scope.select()}[5m])`, ["le"])})`,
        { [QUANTILE_LABEL]: q },
      ),
    ),
  ];
}

/** Connections, cache hit ratio and replication lag of a scope of databases (postgres_exporter series). */
export function databaseRecords(scope: Scope): Rule[] {
  const rec = (name: string, record: string, expr: string) =>
    recordingRule(`${scope.id}/rec/${name}`, record, expr, scope.labels, scope.services);
  const hit = scope.agg("sum", `rate(${METRIC.pgBlocksHit}${scope.select()}[5m])`);
  return [
    rec("db_connections", REC.dbConnections, scope.agg("sum", `${METRIC.pgConnections}${scope.select()}`)),
    rec("db_max_connections", REC.dbMaxConnections, scope.agg("max", `${METRIC.pgMaxConnections}${scope.select()}`)),
    rec(
      "db_cache_hit",
      REC.dbCacheHit,
      `${hit} / (${hit} + ${scope.agg("sum", `rate(${METRIC.pgBlocksRead}${scope.select()}[5m])`)})`,
    ),
    rec("db_replication_lag", REC.dbReplicationLag, scope.agg("max", `${METRIC.pgReplicationLag}${scope.select()}`)),
    rec("db_up", REC.dbUp, scope.agg("min", `${METRIC.pgUp}${scope.select()}`)),
  ];
}

interface KindInfo {
  alert: string;
  signal: Signal;
  runbook: RunbookKey;
  panel: { key: DashboardKey; panel: string };
  what: string;
}

type LatencyKind = keyof typeof QUANTILES;

const KIND_INFO: Record<Exclude<ThresholdKind, LatencyKind>, KindInfo> = {
  error_rate: {
    alert: "ErrorRateHigh",
    signal: "error_rate",
    runbook: "error_rate",
    panel: { key: "service", panel: PANEL.errorRate },
    what: "error rate above",
  },
  availability: {
    alert: "SuccessRateLow",
    signal: "availability",
    runbook: "availability",
    panel: { key: "service", panel: PANEL.errorRate },
    what: "success rate below",
  },
  connections: {
    alert: "DbConnectionsHigh",
    signal: "saturation",
    runbook: "saturation",
    panel: { key: "database", panel: PANEL.dbConnections },
    what: "connections in use above",
  },
  replication_lag: {
    alert: "DbReplicationLagHigh",
    signal: "saturation",
    runbook: "saturation",
    panel: { key: "database", panel: PANEL.dbReplicationLag },
    what: "replication lag above",
  },
};

/** A latency kind's alert, shown on the database dashboard for a database, else on the service dashboard. */
function latencyInfo(kind: LatencyKind, database: boolean): KindInfo {
  const p = kind.slice("latency_".length);
  return {
    alert: `Latency${p.toUpperCase()}High`,
    signal: "latency",
    runbook: "latency",
    panel: database ? { key: "database", panel: PANEL.dbLatency } : { key: "service", panel: PANEL.latency },
    what: `${p} latency above`,
  };
}

const LATENCY_INFO = new Map(
  (Object.keys(QUANTILES) as LatencyKind[]).map((k) => [k, [latencyInfo(k, false), latencyInfo(k, true)]] as const),
);

function kindInfo(kind: ThresholdKind, svc: Service): KindInfo {
  const latency = LATENCY_INFO.get(kind as LatencyKind);
  return latency ? latency[svc.kind === "database" ? 1 : 0] : KIND_INFO[kind as Exclude<ThresholdKind, LatencyKind>];
}

/**
 * How a threshold alert crosses under its incident: every request failing for error and
 * success rates, a step to twice the threshold for latency (the slow share of the 5m window
 * passes 1 − quantile) and for connections and lag (gauges).
 */
function thresholdDetection(svc: Service, t: Threshold, profile: "prod" | "local"): Detection {
  const collection = scrapeCollection(profile, svc.metrics.scrape?.everyMs);
  switch (t.kind) {
    case "error_rate":
      return windowShare("a full outage: every request fails", collection, t.value, RATE_WINDOW_MS, true);
    case "availability":
      return windowShare("a full outage: every request fails", collection, 1 - t.value, RATE_WINDOW_MS, true);
    case "connections":
    case "replication_lag":
      return crossesAtOnce(`a step to twice the threshold (${t.display})`, collection, true);
    default: {
      const q = Number(QUANTILES[t.kind]);
      return windowShare(
        `a step to twice the threshold (${t.display}) for every request`,
        collection,
        Number((1 - q).toPrecision(12)),
        RATE_WINDOW_MS,
        true,
      );
    }
  }
}

/** The alert expression of one threshold, on the service's recording rules (`s` selects the service). */
function thresholdExpr(svc: Service, t: Threshold, s: string, v: string): string {
  switch (t.kind) {
    case "error_rate":
      return `${REC.errorRatio}${s} > ${v}`;
    case "availability":
      // Success below v is failure above 1 - v, compared on the recorded ratio itself: `(1 - ratio) < 0.93`
      // fired at exactly 93% (1 - 0.07 is 0.9299999999999999); 1 - v is printed to 12 digits, 0.07.
      return `${REC.errorRatio}${s} > ${formatNumber(1 - t.value)}`;
    case "connections":
      return t.relative
        ? `${REC.dbConnections}${s} / ${REC.dbMaxConnections}${s} > ${v}`
        : `${REC.dbConnections}${s} > ${v}`;
    case "replication_lag":
      return `${REC.dbReplicationLag}${s} > ${v}`;
    default:
      return `${REC.latency}${serviceSel(svc.name, { [QUANTILE_LABEL]: QUANTILES[t.kind] })} > ${v}`;
  }
}

export function thresholdRules(ctx: GenContext, svc: Service): Rule[] {
  const rules: Rule[] = [];
  const s = svc.thresholds.length ? serviceSel(svc.name) : "";
  for (const t of svc.thresholds) {
    const info = kindInfo(t.kind, svc);
    const v = formatNumber(t.value);
    const q = QUANTILES[t.kind as LatencyKind];
    const labels: Record<string, string> =
      q === undefined
        ? { [LABEL.service]: svc.name, [LABEL.signal]: info.signal, [LABEL.severity]: t.severity, threshold: t.kind }
        : {
            [LABEL.service]: svc.name,
            [LABEL.signal]: info.signal,
            [LABEL.severity]: t.severity,
            threshold: t.kind,
            [QUANTILE_LABEL]: q,
          };
    rules.push(
      recordingRule(`${svc.name}/${t.kind}/${t.severity}/threshold`, REC.threshold, `vector(${v})`, labels),
      alertRule(ctx, {
        id: `${svc.name}/${t.kind}/${t.severity}`,
        alert: info.alert,
        expr: thresholdExpr(svc, t, s, v),
        forMs: t.forMs,
        service: svc.name,
        team: svc.team,
        severity: t.severity,
        signal: info.signal,
        summary: `${svc.name} ${info.what} ${t.display}`,
        description: `${svc.name} (${svc.kind}) ${info.what} ${t.display} for ${formatDuration(t.forMs)}.`,
        runbook: info.runbook,
        dashboard: info.panel,
        noData: "OK",
        threshold: t.display,
        detection: lazily(thresholdDetection, svc, t, ctx.profile),
        test: lazily(thresholdTest, svc, t),
      }),
    );
  }
  return rules;
}

/**
 * Series making a threshold alert fire (`fire`), stay quiet, or sit exactly on the catalog's
 * bound (gauges and quantiles), for its promtool test. Counters start at 0 at 0s, so a rate
 * first exists at the second sample; gauges hold from the first.
 */
function thresholdTest(svc: Service, t: Threshold): RuleTest | undefined {
  const evalAfterMs = t.forMs + 10 * 60_000;
  const steps = Math.ceil(evalAfterMs / TEST_INTERVAL_MS) + 5;
  const base = (onsetMs: number) => ({
    evalAfterMs,
    intervalMs: TEST_INTERVAL_MS,
    firesAtMs: onsetMs + firstEvalAt(t.forMs, TEST_INTERVAL_MS),
  });
  const counterOnset = TEST_INTERVAL_MS;
  const quantile = t.kind.startsWith("latency_")
    ? { extraLabels: { [QUANTILE_LABEL]: QUANTILES[t.kind as keyof typeof QUANTILES] } }
    : {};
  const records = (...names: string[]) => ({ records: names });
  const share = percentFraction(t.display);
  switch (t.kind) {
    case "error_rate":
    case "availability": {
      const errFire = t.kind === "error_rate" ? (t.value + 1) / 2 : 1 - t.value / 2;
      const errQuiet = t.kind === "error_rate" ? t.value / 2 : (1 - t.value) / 2;
      const fire = requestSeries(svc, errFire, steps);
      const quiet = requestSeries(svc, errQuiet, steps);
      // No series exactly at the bound: a ratio of two rates is not exact in general (promtool 2.42
      // reads 60 of 2400 a minute as 0.024999999999999998); test/fixtures/semantics has exact cases.
      return fire && quiet ? { ...base(counterOnset), fire, quiet, ...records(REC.errorRatio) } : undefined;
    }
    case "connections": {
      const s = labelsMatching(svc.metrics.selector);
      if (!s) return undefined;
      const set = (used: number, max: number): InputSeries[] => [
        { series: series(METRIC.pgConnections, s, { datname: "postgres" }), values: gauge(used, steps) },
        { series: series(METRIC.pgMaxConnections, s), values: gauge(max, steps) },
      ];
      const max = 100;
      const used = (ratio: number) => Math.round(t.relative ? max * ratio : t.value * ratio);
      const fireRatio = t.relative ? (t.value + 1) / 2 : 2;
      // "80": exactly 80 in use; "90%": 90 of 100 (any num of den is the same double as 0.9).
      const bound = t.relative ? share && set(share.num, share.den) : set(t.value, 2 * t.value);
      return {
        ...base(0),
        fire: set(used(fireRatio), max),
        quiet: set(used(t.relative ? t.value / 2 : 0.5), max),
        ...(bound ? { atBound: { series: bound, fires: false } } : {}),
        ...records(REC.dbConnections, REC.dbMaxConnections),
      };
    }
    case "replication_lag": {
      const s = labelsMatching(svc.metrics.selector);
      if (!s) return undefined;
      const set = (v: number): InputSeries[] => [
        { series: series(METRIC.pgReplicationLag, s), values: gauge(v, steps) },
      ];
      return {
        ...base(0),
        fire: set(t.value * 2),
        quiet: set(t.value / 2),
        atBound: { series: set(t.value), fires: false },
        ...records(REC.dbReplicationLag),
      };
    }
    default: {
      const s = labelsMatching(svc.metrics.latencySelector);
      if (!s) return undefined;
      const bucket = (le: string) => series(`${svc.metrics.duration}_bucket`, s, { le });
      const low = formatNumber(t.value / 2);
      const high = formatNumber(t.value * 2);
      const set = (slow: boolean): InputSeries[] => [
        { series: bucket(low), values: counter(slow ? 0 : 10, steps) },
        { series: bucket(high), values: counter(10, steps) },
        { series: bucket("+Inf"), values: counter(10, steps) },
      ];
      // Every request slower than the bound: a quantile in +Inf reads the highest finite bucket bound.
      const atBound: InputSeries[] = [
        { series: bucket(formatNumber(t.value)), values: counter(0, steps) },
        { series: bucket("+Inf"), values: counter(60, steps) },
      ];
      return {
        ...base(counterOnset),
        fire: set(true),
        quiet: set(false),
        atBound: { series: atBound, fires: false },
        ...quantile,
        ...records(REC.latency),
      };
    }
  }
}

/** Request counters with the given error share; undefined when selectors cannot be synthesised. */
export function requestSeries(svc: Service, errorShare: number, steps: number): InputSeries[] | undefined {
  const total = 100_000;
  const errors = Math.round(total * errorShare);
  return requestCounts(svc, errors, total - errors, steps);
}

/** Failed and successful request counters growing by the given counts per step. */
export function requestCounts(svc: Service, failed: number, ok: number, steps: number): InputSeries[] | undefined {
  const s = labelsMatching(svc.metrics.latencySelector);
  const bad = labelsMatching(svc.metrics.errors);
  const good = labelsNotMatching(svc.metrics.errors);
  if (!s || !bad || !good) return undefined;
  const count = `${svc.metrics.duration}_count`;
  const out: InputSeries[] = [];
  if (failed > 0) out.push({ series: series(count, s, bad), values: counter(failed, steps) });
  if (ok > 0) out.push({ series: series(count, s, good), values: counter(ok, steps) });
  return out;
}
