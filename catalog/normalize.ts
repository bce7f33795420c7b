/** Raw (schema-valid, cross-checked) catalog → model: defaults applied, units parsed. */
import type { RawCatalog, RawService, RawThresholdSet } from "./schema";
import type {
  Alerting,
  Budget,
  BudgetLevel,
  Catalog,
  Contact,
  ExternalApi,
  HealthCheck,
  Service,
  Severity,
  Slo,
  SourceBudget,
  Threshold,
  ThresholdKind,
} from "./model";
import { parseBytes, parseDuration, parsePercent, parseSeverity, SEVERITIES } from "./units";
import {
  ALERT_NAME_LABEL,
  DEFAULTS,
  DEFAULT_SEVERITY,
  LABEL,
  healthCheckName,
  defaultDurationMetric,
  defaultErrorMatcher,
  defaultSelector,
} from "../conventions";

const ms = (d: string) => parseDuration(d)!;
const sev = (s: string | undefined, fallback: Severity): Severity => (s ? parseSeverity(s)! : fallback);

export function normalize(raw: RawCatalog): Catalog {
  const defaultTeam = raw.default_team ?? DEFAULTS.team;
  const syntheticProbes = raw.synthetics?.probes ?? [...DEFAULTS.syntheticProbes];
  const runbookBaseUrl = (
    raw.runbooks?.base_url ??
    (raw.github ? `https://github.com/${raw.github.repository}/blob/main/docs/runbooks` : "docs/runbooks")
  ).replace(/\/+$/, "");
  return {
    system: raw.system,
    environment: raw.environment ?? DEFAULTS.environment,
    defaultTeam,
    grafanaUrl: raw.grafana?.url?.replace(/\/+$/, ""),
    folderTitle: raw.grafana?.folder ?? raw.system,
    grafanaVersion: grafanaVersion(raw.grafana?.version, raw.grafana?.recording_rules),
    runbookBaseUrl,
    syntheticProbes,
    telemetry: raw.telemetry && { otlpEndpoint: raw.telemetry.otlp_endpoint, otlpHeaders: raw.telemetry.otlp_headers },
    services: (raw.services ?? []).map((s) => normalizeService(s, defaultTeam, syntheticProbes)),
    externalApis: (raw.external_apis ?? []).map((a): ExternalApi => ({
      name: a.name,
      team: a.team ?? defaultTeam,
      quota: a.quota,
      period: a.period ?? "month",
      alertAt: parsePercent(a.alert_at ?? DEFAULTS.alertAt)!,
      severity: sev(a.severity, DEFAULT_SEVERITY.quota),
      failureRate: a.failure_rate ? thresholdsOf("error_rate", a.failure_rate) : [],
      rateLimits: (a.rate_limits ?? []).map((r) => ({
        calls: r.calls,
        per: r.per,
        alertAt: parsePercent(r.alert_at ?? DEFAULTS.alertAt)!,
        severity: sev(r.severity, DEFAULT_SEVERITY.quota),
        forMs: ms(r.for ?? DEFAULTS.rateLimitFor),
      })),
      sizes: (a.sizes ?? []).map((q) => ({
        resource: q.resource,
        limitBytes: parseBytes(q.limit)!,
        display: q.limit,
        alertAt: parsePercent(q.alert_at ?? DEFAULTS.alertAt)!,
        severity: sev(q.severity, DEFAULT_SEVERITY.quota),
        ...(q.database === undefined ? {} : { database: q.database }),
      })),
    })),
    budget: raw.budget && normalizeBudget(raw.budget),
    rules: (raw.rules ?? []).map((r) => ({
      name: r.name,
      expr: r.expr,
      forMs: r.for ? ms(r.for) : 0,
      severity: sev(r.severity, "P2"),
      service: r.service,
      signal: r.signal ?? "custom",
      summary: r.summary,
      description: r.description,
      runbookUrl: r.runbook_url,
      dashboardUrl: r.dashboard_url,
    })),
    ruleFiles: (raw.rule_files ?? []).map((f) => ({
      path: f.path.replace(/\/+$/, ""),
      service: f.service,
      team: f.team,
      severityMap: new Map(Object.entries(f.severity_map ?? {}).map(([k, v]) => [k, parseSeverity(v)!])),
      severityLabel: f.severity_label ?? LABEL.severity,
      ...(f.severity ? { severity: parseSeverity(f.severity)! } : {}),
    })),
    alerting: normalizeAlerting(raw),
    github: raw.github && {
      repository: raw.github.repository,
      secrets: raw.github.secrets ?? {},
      variables: raw.github.variables ?? {},
    },
  };
}

function normalizeService(s: RawService, defaultTeam: string, syntheticProbes: string[]): Service {
  const thresholds: Threshold[] = [];
  for (const [key, set] of Object.entries(s.thresholds ?? {})) {
    if (set) thresholds.push(...thresholdsOf(key as ThresholdKind, set));
  }
  const heartbeat =
    s.heartbeat === undefined
      ? undefined
      : typeof s.heartbeat === "string"
        ? { everyMs: ms(s.heartbeat), severity: DEFAULT_SEVERITY.heartbeat as Severity }
        : { everyMs: ms(s.heartbeat.every), severity: sev(s.heartbeat.severity, DEFAULT_SEVERITY.heartbeat) };
  return {
    name: s.name,
    kind: s.kind,
    team: s.team ?? defaultTeam,
    description: s.description,
    metrics: {
      selector: s.metrics?.selector ?? defaultSelector(s.name),
      duration: s.metrics?.duration ?? defaultDurationMetric(s.kind),
      latencySelector: s.metrics?.latency_selector ?? s.metrics?.selector ?? defaultSelector(s.name),
      errors: s.metrics?.errors ?? defaultErrorMatcher(s.kind),
      scrape: s.metrics?.scrape && {
        url: s.metrics.scrape.url,
        username: s.metrics.scrape.username,
        password: s.metrics.scrape.password,
        bearer: s.metrics.scrape.bearer,
        everyMs: s.metrics.scrape.every ? ms(s.metrics.scrape.every) : undefined,
      },
    },
    health: normalizeHealthList(s.health, syntheticProbes),
    slos: [...(s.slos ?? [])]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((o): Slo => ({
        name: o.name,
        sli: o.sli,
        objective: o.objective / 100,
        thresholdMs: o.threshold ? ms(o.threshold) : undefined,
        windowMs: ms(o.window ?? DEFAULTS.sloWindow),
        page: sev(o.page, DEFAULT_SEVERITY.sloPage),
        ticket: sev(o.ticket, DEFAULT_SEVERITY.sloTicket),
      })),
    thresholds,
    heartbeat,
    down:
      s.kind === "database"
        ? {
            severity: sev(s.down?.severity, DEFAULT_SEVERITY.databaseDown),
            forMs: ms(s.down?.for ?? DEFAULTS.databaseDownFor),
          }
        : undefined,
    vercel: s.vercel && {
      project: s.vercel.project,
      teamId: s.vercel.team_id,
      sensitive: s.vercel.sensitive ?? "auto",
      env: Object.entries(s.vercel.env ?? {}).flatMap(([key, entries]) =>
        (Array.isArray(entries) ? entries : [entries]).map((v) => ({
          key,
          value: v.value,
          secret: v.secret,
          targets: v.targets ?? [...DEFAULTS.vercelTargets],
          ...(v.sensitive !== undefined ? { sensitive: v.sensitive } : {}),
          rotateEveryMs: v.rotate_every ? ms(v.rotate_every) : undefined,
          rotatedAt: v.rotated_at,
        })),
      ),
    },
  };
}

type RawBudgetLimits = Pick<NonNullable<RawCatalog["budget"]>, "alert_at" | "severity" | "levels">;

/** Levels ascending; without `levels`, `alert_at` at `severity` and 100% at P1 (or `severity` when higher). */
function budgetLevels(b: RawBudgetLimits): BudgetLevel[] {
  if (b.levels) {
    return b.levels
      .map((l) => ({ at: parsePercent(l.at)!, severity: parseSeverity(l.severity)! }))
      .sort((x, y) => x.at - y.at);
  }
  const severity = sev(b.severity, DEFAULT_SEVERITY.budget);
  const alertAt = parsePercent(b.alert_at ?? DEFAULTS.alertAt)!;
  const exceeded: Severity = SEVERITIES.indexOf(severity) < SEVERITIES.indexOf("P1") ? severity : "P1";
  return alertAt < 1
    ? [
        { at: alertAt, severity },
        { at: 1, severity: exceeded },
      ]
    : [{ at: alertAt, severity }];
}

function normalizeBudget(b: NonNullable<RawCatalog["budget"]>): Budget {
  const levels = budgetLevels(b);
  return {
    monthlyUsd: b.monthly_usd,
    severity: levels[0].severity,
    levels,
    sources: Object.entries(b.sources ?? {})
      .map(([source, s]): SourceBudget => ({ source, monthlyUsd: s.monthly_usd, levels: budgetLevels(s) }))
      .sort((x, y) => x.source.localeCompare(y.source)),
  };
}

type RawHealth = Exclude<NonNullable<RawService["health"]>, unknown[]>;

function normalizeHealthList(raw: RawService["health"], syntheticProbes: string[]): HealthCheck[] {
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return list.map((h) => normalizeHealth(h, syntheticProbes, list.length > 1));
}

function normalizeHealth(h: RawHealth, syntheticProbes: string[], several: boolean): HealthCheck {
  const everyMs = ms(h.every ?? DEFAULTS.healthEvery);
  const name = h.name ?? healthCheckName(h.url);
  return {
    name,
    ...(several ? { key: name } : {}),
    url: h.url,
    everyMs,
    timeoutMs: Math.min(ms(h.timeout ?? DEFAULTS.healthTimeout), everyMs),
    expectStatus: [...(h.expect_status ?? [200])].sort((a, b) => a - b),
    expectBody: h.expect_body,
    method: h.method ?? "GET",
    severity: sev(h.severity, DEFAULT_SEVERITY.probe),
    forMs: ms(h.for ?? DEFAULTS.healthFor),
    tlsExpiryMs: h.url.startsWith("https://") ? ms(h.tls_expiry ?? DEFAULTS.tlsExpiry) : undefined,
    probes: h.probes ?? syntheticProbes,
    auth:
      h.auth &&
      (h.auth.bearer ? { bearer: h.auth.bearer } : { username: h.auth.username!, password: h.auth.password! }),
  };
}

/** One Threshold per severity, ordered P0..P3 so output does not depend on key order. */
export function thresholdsOf(kind: ThresholdKind, set: RawThresholdSet): Threshold[] {
  const forMs = ms(typeof set.for === "string" ? set.for : DEFAULTS.thresholdFor);
  const out: Threshold[] = [];
  for (const [key, v] of Object.entries(set)) {
    if (key === "for") continue;
    const severity = parseSeverity(key)!;
    const display = String(v);
    if (typeof v === "number") out.push({ kind, severity, value: v, display, forMs });
    else if (parsePercent(v) !== undefined)
      out.push({
        kind,
        severity,
        value: parsePercent(v)!,
        display,
        relative: kind === "connections" || undefined,
        forMs,
      });
    else out.push({ kind, severity, value: ms(v) / 1000, display, forMs });
  }
  return out.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
}

function normalizeAlerting(raw: RawCatalog): Alerting {
  const a = raw.alerting ?? {};
  const routes = Object.fromEntries(SEVERITIES.map((s) => [s, [] as string[]])) as Record<Severity, string[]>;
  for (const [key, names] of Object.entries(a.routes ?? {})) routes[parseSeverity(key)!] = [...names].sort();
  const contacts = Object.entries(a.contacts ?? {})
    .map(([name, c]): Contact => {
      switch (c.type) {
        case "pagerduty":
          return { name, type: "pagerduty", integrationKey: c.integration_key };
        case "slack":
          return { name, type: "slack", url: c.url, channel: c.channel };
        case "email":
          return {
            name,
            type: "email",
            to: c.to,
            from: c.from ?? `alerts@${raw.system}.invalid`,
            smarthost: c.smarthost ?? "localhost:25",
            username: c.username,
            password: c.password,
            smtpKeys: (["from", "smarthost", "username", "password"] as const).filter((k) => c[k] !== undefined),
          };
        case "webhook":
          return { name, type: "webhook", url: c.url };
      }
    })
    .sort((x, y) => x.name.localeCompare(y.name));
  return {
    ackTimeoutMs: ms(a.ack_timeout ?? DEFAULTS.ackTimeout),
    routes,
    contacts,
    watchdog: a.watchdog,
    groupBy: groupByLabels(a.group_by ?? DEFAULTS.groupBy),
    muteTimings: (a.mute_timings ?? []).map((m) => ({
      name: m.name,
      weekdays: m.weekdays ?? [],
      times: m.times ?? [],
      severities: m.severities.map((s) => parseSeverity(s)!),
      ...(m.location ? { location: m.location } : {}),
    })),
    escalations: Object.entries(a.escalation ?? {})
      .map(([key, e]) => ({ severity: parseSeverity(key)!, afterMs: ms(e.after), to: [...e.to] }))
      .sort((x, y) => SEVERITIES.indexOf(x.severity) - SEVERITIES.indexOf(y.severity)),
    policies: (a.policies ?? []).map((p) => ({ match: { ...p.match }, to: [...p.to] })),
    objectives: Object.entries(a.objectives ?? {})
      .map(([key, o]) => ({
        severity: parseSeverity(key)!,
        ...(o.detect !== undefined ? { detectMs: ms(o.detect) } : {}),
        ...(o.pages_per_week !== undefined ? { pagesPerWeek: o.pages_per_week } : {}),
      }))
      .sort((x, y) => SEVERITIES.indexOf(x.severity) - SEVERITIES.indexOf(y.severity)),
  };
}

/** Grafana Cloud's version line; every feature the prod stack uses is there. */
const DEFAULT_GRAFANA_VERSION = "12.0";

/**
 * `group_by` as both targets read it: `alertname` means the project's `alert` label, because
 * Grafana's `alertname` is the rule title and would split one local group per rule.
 */
function groupByLabels(labels: readonly string[]): string[] {
  return labels.map((l) => (l === ALERT_NAME_LABEL ? LABEL.alert : l));
}

function grafanaVersion(text = DEFAULT_GRAFANA_VERSION, recordingRules?: boolean): Catalog["grafanaVersion"] {
  const [major, minor, patch = 0] = text.split(".").map(Number);
  const version: [number, number, number] = [major, minor, patch];
  return { version, recordingRules: recordingRules ?? (major > 11 || (major === 11 && minor >= 2)) };
}
