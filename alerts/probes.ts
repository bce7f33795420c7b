/**
 * Synthetic-check alerts: probe down (every location failing), probe data missing, and TLS
 * certificate expiry. Probes run every `every` (5m and more on Synthetic Monitoring), and
 * `probe_success` is absent between a sample's staleness and the next probe's end, so probe
 * alerts read each location's last result within two intervals plus the timeout, and
 * missing data never resolves a ProbeDown (see `holdWhileMissing`).
 */
import { escapeTemplateText } from "../catalog/template-text";
import type { HealthCheck, Service } from "../catalog/model";
import { formatDuration, formatNumber, parseDuration } from "../catalog/units";
import { probeTiming } from "../checks/blackbox";
import {
  DEFAULTS,
  DEFAULT_SEVERITY,
  INSTANCE_LABEL,
  METRIC,
  PANEL,
  PROBE_DOWN_ALERT,
  probeJob,
  probeSelector,
} from "../conventions";
import { alertRule, lazily } from "./alert";
import { crossesAtOnce, probeCollection, silenceFor } from "./detection";
import type { GenContext } from "./context";
import type { Detection, InputSeries, Rule, RuleTest } from "./model";
import { firstEvalAt, gauge } from "./synth";

/** `for` of the TLS expiry alerts. */
const TLS_FOR_MS = 10 * 60_000;

/**
 * When ProbeDataMissing fires under a single result at 0s: at the first evaluation past the
 * catalog's window (two intervals plus the timeout, at least 5m). Unset when the window is a
 * whole number of evaluations: whether a sample exactly one window old counts differs between
 * Prometheus 2 (closed range) and 3 (open at the start).
 */
function missingFrom(h: HealthCheck, profile: "prod" | "local", intervalMs: number): { firesAtMs?: number } {
  const { everyMs, timeoutMs } = probeTiming(h, profile);
  const windowMs = Math.max(2 * everyMs + timeoutMs, 5 * 60_000);
  return windowMs % intervalMs === 0 ? {} : { firesAtMs: firstEvalAt(windowMs, intervalMs) };
}

/** Prometheus' default lookback: an instant query already saw a sample this old. */
const LOOKBACK_MS = 5 * 60_000;

/**
 * How far back a probe's last result counts: two probe intervals plus the timeout, and never
 * less than the 5m lookback a plain instant query had (so probes scraped less often than
 * `every` read as before).
 */
export function probeWindowMs(h: HealthCheck, profile: "prod" | "local"): number {
  const { everyMs, timeoutMs } = probeTiming(h, profile);
  return Math.max(2 * everyMs + timeoutMs, LOOKBACK_MS);
}

export function probeRules(ctx: GenContext, svc: Service): Rule[] {
  return svc.health.flatMap((h) => checkRules(ctx, svc, h));
}

const PROBE_PANEL = { key: "synthetics", panel: PANEL.probeSuccess } as const;
const TLS_PANEL = { key: "synthetics", panel: PANEL.tlsDaysLeft } as const;

/**
 * The alerts of one check. A service's only check reads every series of its probe job; one of
 * several reads its own `instance` (the URL) and suffixes its ids with the check's name.
 */
function checkRules(ctx: GenContext, svc: Service, h: HealthCheck): Rule[] {
  const selector = probeSelector(svc.name);
  const job = h.key ? `{${selector}, instance="${h.url}"}` : `{${selector}}`;
  const idPrefix = h.key ? `${svc.name}/probe/${h.key}` : `${svc.name}/probe`;
  const windowMs = probeWindowMs(h, ctx.profile);
  const window = formatDuration(windowMs);
  const lastResult = `max(last_over_time(${METRIC.probeSuccess}${job}[${window}]))`;
  const rules: Rule[] = [
    alertRule(ctx, {
      id: idPrefix,
      alert: PROBE_DOWN_ALERT,
      expr: `${lastResult} < 1`,
      holdWhileMissing: { series: `${METRIC.probeSuccess}${job}`, windowMs, valueExpr: `${lastResult} < bool 1` },
      forMs: h.forMs,
      service: svc.name,
      team: svc.team,
      severity: h.severity,
      signal: "probe",
      labels: h.key ? { [INSTANCE_LABEL]: h.url } : undefined,
      summary: `${svc.name} is down: ${h.url} fails its health check`,
      description: `Every probe of ${h.url} failed for ${formatDuration(h.forMs)} (expects status ${h.expectStatus.join(", ")}${h.expectBody ? ` and body matching ${escapeTemplateText(h.expectBody)}` : ""} within ${formatDuration(h.timeoutMs)}).`,
      runbook: "probe",
      dashboard: PROBE_PANEL,
      noData: "KeepLast",
      detection: lazily(probeDownDetection, h, ctx.profile),
      test: lazily(probeDownTest, svc, h, ctx.profile),
    }),
    alertRule(ctx, {
      id: h.key ? `${idPrefix}/data_missing` : `${svc.name}/probe_data_missing`,
      alert: "ProbeDataMissing",
      expr: `absent_over_time(${METRIC.probeSuccess}${job}[${window}])`,
      forMs: 0,
      service: svc.name,
      team: svc.team,
      severity: DEFAULT_SEVERITY.probeDataMissing,
      signal: "probe",
      summary: `No probe result for ${svc.name} for ${window}`,
      description: `No probe of ${h.url} reported a result (${METRIC.probeSuccess}) for ${window} (two probe intervals plus the timeout, at least 5m): the prober (blackbox exporter or Synthetic Monitoring) or its scrape is broken, so an outage of ${svc.name} would go unseen. A firing ProbeDown stays firing meanwhile.`,
      runbook: "probe_missing",
      dashboard: PROBE_PANEL,
      noData: "OK",
      detection: lazily(missingDetection, windowMs),
      test: lazily(missingTest, svc, h, ctx.profile),
    }),
  ];
  if (h.tlsExpiryMs !== undefined) {
    const tlsPrefix = h.key ? `${svc.name}/tls/${h.key}` : `${svc.name}/tls`;
    const expr = `min(last_over_time(${METRIC.probeSslExpiry}${job}[${window}])) - time() < `;
    const criticalMs = Math.min(parseDuration(DEFAULTS.tlsCritical)!, h.tlsExpiryMs);
    const levels = [
      { severity: DEFAULT_SEVERITY.tlsWarning, withinMs: h.tlsExpiryMs },
      { severity: DEFAULT_SEVERITY.tlsCritical, withinMs: criticalMs },
    ] as const;
    for (const { severity, withinMs } of levels) {
      const within = formatDuration(withinMs);
      rules.push(
        alertRule(ctx, {
          id: `${tlsPrefix}/${severity}`,
          alert: "TlsCertificateExpiring",
          expr: `${expr}${formatNumber(withinMs / 1000)}`,
          forMs: TLS_FOR_MS,
          service: svc.name,
          team: svc.team,
          severity,
          signal: "tls",
          summary: `${svc.name} TLS certificate expires within ${within}`,
          description: `The certificate served at ${h.url} expires in less than ${within}; renew it (Vercel and Supabase renew automatically — check the custom domain's DNS).`,
          runbook: "tls",
          dashboard: TLS_PANEL,
          noData: "OK",
          threshold: within,
          detection: lazily(tlsDetection, h, withinMs, ctx.profile),
          test: lazily(tlsTest, svc, h, withinMs),
        }),
      );
    }
  }
  return rules;
}

function probeDownDetection(h: HealthCheck, profile: "prod" | "local"): Detection {
  return crossesAtOnce("a full outage: every probe fails", probeCollection(h, profile), false);
}

function missingDetection(windowMs: number): Detection {
  return silenceFor("the prober stops reporting", windowMs, "without a probe result");
}

function tlsDetection(h: HealthCheck, withinMs: number, profile: "prod" | "local"): Detection {
  return crossesAtOnce(
    `the certificate comes within ${formatDuration(withinMs)} of expiry`,
    probeCollection(h, profile),
    false,
  );
}

/** The check's `probe_success` series (its instance is the URL), `v` at every step of its test. */
function probeSeries(svc: Service, h: HealthCheck, intervalMs: number, v: number): InputSeries[] {
  const steps = Math.ceil((h.forMs + 5 * 60_000) / intervalMs) + 5;
  return [
    { series: `${METRIC.probeSuccess}{${probeSelector(svc.name)}, instance="${h.url}"}`, values: gauge(v, steps) },
  ];
}

/** Fire: every probe failing; quiet: every probe succeeding. */
function probeDownTest(svc: Service, h: HealthCheck, profile: "prod" | "local"): RuleTest {
  const intervalMs = probeTiming(h, profile).everyMs;
  return {
    fire: probeSeries(svc, h, intervalMs, 0),
    quiet: probeSeries(svc, h, intervalMs, 1),
    evalAfterMs: h.forMs + 5 * 60_000,
    firesAtMs: firstEvalAt(h.forMs, intervalMs),
    intervalMs,
  };
}

/** Fire: one result at 0s, then none; quiet: a result every interval. */
function missingTest(svc: Service, h: HealthCheck, profile: "prod" | "local"): RuleTest {
  const intervalMs = probeTiming(h, profile).everyMs;
  const [quiet] = probeSeries(svc, h, intervalMs, 1);
  const steps = Math.ceil((h.forMs + 5 * 60_000) / intervalMs) + 5;
  return {
    fire: [{ series: quiet.series, values: `1 _x${steps}` }],
    quiet: [quiet],
    evalAfterMs: probeWindowMs(h, profile) + 5 * intervalMs,
    ...missingFrom(h, profile, intervalMs),
    intervalMs,
    extraLabels: h.key ? { job: probeJob(svc.name), instance: h.url } : { job: probeJob(svc.name) },
  };
}

/** Fire: a certificate expiring within half the window; quiet: twice the window plus a day. */
function tlsTest(svc: Service, h: HealthCheck, withinMs: number): RuleTest {
  const tlsSeries = `${METRIC.probeSslExpiry}{${probeSelector(svc.name)}, instance="${h.url}"}`;
  const expiry = (daysFromEpoch: number): InputSeries[] => [
    { series: tlsSeries, values: gauge(daysFromEpoch * 86400, 30) },
  ];
  return {
    fire: expiry(withinMs / 86400_000 / 2),
    quiet: expiry((withinMs / 86400_000) * 2 + 1),
    // A certificate whose expiry moves with the clock: always exactly `within` away, not "within".
    atBound: { series: [{ series: tlsSeries, values: `${withinMs / 1000}+60x30` }], fires: false },
    evalAfterMs: 15 * 60_000,
    firesAtMs: TLS_FOR_MS,
    intervalMs: 60_000,
  };
}
