/**
 * The catalog's input shape, as a user writes it in `Pulumi.<stack>.yaml` under
 * `ops-monitoring:catalog` or in a standalone YAML file. Keys are snake_case as in the design;
 * `normalize.ts` turns a parsed catalog into the typed model the renderers use.
 */
import { z } from "zod";
import { SIGNALS } from "./model";
import { parseBytes, parseDuration, parsePercent, parseSeverity, SEVERITY_HELP } from "./units";
import { httpUrl } from "./urls";
import { NAME_MAX, NAME_MAX_HELP } from "../conventions";

/** The `signal` label of an alert: what kind of problem it reports. */
const signal = z.enum(SIGNALS);

const SLUG_RE = /^[a-z][a-z0-9-]*$/;
const slug = z
  .string()
  .regex(SLUG_RE, { error: "must be a lowercase slug (a-z, 0-9, -), starting with a letter" })
  .max(NAME_MAX, { error: (issue) => `is ${(issue.input as string).length} characters; ${NAME_MAX_HELP}` });

/** A Prometheus duration such as `30s`, `5m`, `1h30m`, `30d`. */
export const duration = z.string().refine((v) => parseDuration(v) !== undefined, {
  error: (issue) =>
    /^(?:\d+(?:ms|s|m|h|d|w|y))+$/.test(String(issue.input))
      ? `"${String(issue.input)}" is longer than Prometheus can represent (about 292y)`
      : `"${String(issue.input)}" is not a duration like 30s, 5m, 1h, 30d`,
});
/** A size in bytes with a unit: `"500MB"`, `"1GB"`, `"100GB"` (decimal, as providers bill) or `"1GiB"` (binary). */
export const byteSize = z.string().refine((v) => parseBytes(v) !== undefined && parseBytes(v)! > 0, {
  error: (issue) => `"${String(issue.input)}" is not a size like 500MB, 1GB or 1GiB`,
});
/** A percentage string such as `"5%"` or `"0.1%"`. */
export const percent = z.string().refine((v) => parsePercent(v) !== undefined, {
  error: (issue) => `"${String(issue.input)}" is not a percentage like "5%"`,
});
/** A severity: `P0..P3`, `SEV1..SEV4` or `critical|high|medium|low`. */
export const severity = z.string().refine((v) => parseSeverity(v) !== undefined, {
  error: (issue) => `"${String(issue.input)}" is not a severity (${SEVERITY_HELP})`,
});

/**
 * A reference to a secret: read from Pulumi secret config (`pulumi config set --secret NAME`)
 * or, outside Pulumi, from the environment variable named by `conventions.secretEnvName(NAME)`
 * (`slackWebhookUrl` → `SLACK_WEBHOOK_URL`). Never rendered in plain text.
 * @example { secret: slackWebhookUrl }
 */
export const secretRef = z.strictObject({
  /** Pulumi config key of the secret. */
  secret: z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, { error: "must be a config key name" }),
});
export type SecretRef = z.infer<typeof secretRef>;

/**
 * Per-severity thresholds of one signal, plus how long the condition must hold.
 * Keys are severities (aliases allowed); values are a percentage, a duration or a number
 * depending on the signal.
 * @example { P1: "5%", P2: "1%", for: 10m }
 */
const thresholdSet = z.record(z.string(), z.union([z.string(), z.number()])).superRefine((value, ctx) => {
  for (const key of Object.keys(value)) {
    if (key === "for") {
      if (typeof value.for !== "string" || parseDuration(value.for) === undefined)
        ctx.addIssue({ code: "custom", path: ["for"], message: `"${String(value.for)}" is not a duration like 5m` });
    } else if (!parseSeverity(key)) {
      ctx.addIssue({ code: "custom", path: [key], message: `"${key}" is not a severity (${SEVERITY_HELP}) or "for"` });
    }
  }
});

/**
 * Plain threshold alerts of a service; each fires when the measured value crosses the
 * severity's threshold for `for` (default 5m).
 */
const thresholds = z.strictObject({
  /** Share of requests failing (5xx / `error.type` set). @example { P1: "5%", P2: "1%" } */
  error_rate: thresholdSet.optional(),
  /** Share of requests succeeding falls BELOW this. @example { P1: "95%" } */
  availability: thresholdSet.optional(),
  /** Median request duration above. @example { P2: 1s } */
  latency_p50: thresholdSet.optional(),
  /** 95th percentile request duration above. @example { P1: 5s, P2: 2s } */
  latency_p95: thresholdSet.optional(),
  /** 99th percentile request duration above. @example { P2: 3s } */
  latency_p99: thresholdSet.optional(),
  /**
   * Database connections in use: a number is an absolute count, a percentage is a share of
   * `max_connections`. @example { P1: 80, P2: 50 } or { P1: "90%" }
   */
  connections: thresholdSet.optional(),
  /** Database replication lag above. @example { P1: 5m } */
  replication_lag: thresholdSet.optional(),
});

/** How to find a service's series in Prometheus (defaults: see `conventions.ts` and the README). */
const metrics = z.strictObject({
  /** PromQL label matchers selecting this service's series. Default `job="<service name>"`. @example 'service_name="web"' */
  selector: z.string().optional(),
  /** Histogram (without `_bucket`) measuring request/operation duration; default by kind (OTel semantic conventions). */
  duration: z
    .string()
    .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, { error: "must be a metric name" })
    .optional(),
  /**
   * Selector for the duration histogram when it comes from elsewhere than the other series,
   * e.g. a database's query latency measured by the apps' OTel DB client instrumentation.
   * Default: `selector`. @example 'db_system_name="postgresql"'
   */
  latency_selector: z.string().optional(),
  /** Label matcher marking a failed request. Default `http_response_status_code=~"5.."` for HTTP kinds, `error_type!=""` otherwise. */
  errors: z.string().optional(),
  /** A Prometheus endpoint to scrape for this service (local mode, Supabase metrics endpoint). */
  scrape: z
    .strictObject({
      /** Full http(s) URL of the metrics endpoint, without credentials. @example https://abc.supabase.co/customer/v1/privileged/metrics */
      url: httpUrl,
      /** Basic-auth user name. Supabase: `service_role`. */
      username: z.string().optional(),
      /** Basic-auth password, always a secret; rendered as `password_file`. */
      password: secretRef.optional(),
      /** Bearer token instead of basic auth, always a secret; rendered as `authorization.credentials_file`. @example { secret: metricsToken } */
      bearer: secretRef.optional(),
      /** Scrape interval. Default the global 30s. */
      every: duration.optional(),
    })
    .optional(),
});

/** Synthetic uptime check of a service (blackbox exporter locally, Grafana Synthetic Monitoring in prod). */
const health = z.strictObject({
  /**
   * Names the check among its service's checks (a list): its alert ids, scrape job and
   * Synthetic Monitoring check derive from it. Default from the URL path (`/` → `root`,
   * `/api/health` → `api-health`). @example home
   */
  name: slug.optional(),
  /** http(s) URL to probe, without credentials (use `auth`). @example https://prospectpro.app/api/health */
  url: httpUrl,
  /**
   * Credentials the probe sends: basic auth (`username` + `password`) or a `bearer` token,
   * secrets only. Rendered as `password_file` / `credentials_file` in blackbox.yml and as
   * sensitive settings of the Synthetic Monitoring check. Default none.
   * @example { username: probe, password: { secret: healthPassword } }
   */
  auth: z
    .strictObject({
      /** Basic-auth user name. */
      username: z.string().optional(),
      /** Basic-auth password. */
      password: secretRef.optional(),
      /** Bearer token (`Authorization: Bearer …`). */
      bearer: secretRef.optional(),
    })
    .optional(),
  /** Probe interval, 1s..1h. Default 1m. */
  every: duration.optional(),
  /** Probe timeout, at most `every`. Default 5s (capped to `every`). */
  timeout: duration.optional(),
  /** Accepted HTTP status codes. Default [200]. */
  expect_status: z.array(z.number().int().min(100).max(599)).min(1).optional(),
  /** Regex the body must match; a 503 "degraded" page fails. @example '"status":"(ok|healthy)"' */
  expect_body: z.string().optional(),
  /** HTTP method. Default GET. */
  method: z.enum(["GET", "HEAD", "POST"]).optional(),
  /** Severity of the probe-down alert. Default P0. */
  severity: severity.optional(),
  /** How long the probe must fail before alerting. Default 1m. */
  for: duration.optional(),
  /** Warn (P2) this long before the TLS certificate expires; https only. Default 14d. */
  tls_expiry: duration.optional(),
  /** Synthetic Monitoring probe locations. Default `synthetics.probes`. */
  probes: z.array(z.string()).min(1).optional(),
});

/** A service level objective, alerted by multi-window multi-burn-rate rules. */
const slo = z.strictObject({
  /** Slug, unique within the service. @example availability */
  name: slug,
  /** What is measured: `availability` (non-error requests), `latency` (requests under `threshold`), `probe` (probe success). */
  sli: z.enum(["availability", "latency", "probe"]),
  /** Target in percent, strictly between 0 and 100. @example 99.9 */
  objective: z.number(),
  /** Latency SLIs only: the bucket boundary a good request stays under. @example 500ms */
  threshold: duration.optional(),
  /** Compliance window. Default 30d. */
  window: duration.optional(),
  /** Severity of the fast-burn (page) alerts. Default P0. */
  page: severity.optional(),
  /** Severity of the slow-burn (ticket) alerts. Default P2. */
  ticket: severity.optional(),
});

/** One Vercel environment variable: a plain `value` or a `secret` reference, and the targets it reaches. */
const vercelEnvVar = z
  .strictObject({
    /** Plain (non-secret) value. */
    value: z.string().optional(),
    /** Pulumi secret config key holding the value; the variable is created as `sensitive`. */
    secret: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, { error: "must be a config key name" })
      .optional(),
    /**
     * Vercel targets. Default [production, preview]. A secret that also targets development
     * becomes two variables: sensitive on production/preview, non-sensitive (encrypted) on
     * development, as Vercel has no sensitive development variables.
     */
    targets: z
      .array(z.enum(["production", "preview", "development"]))
      .min(1)
      .optional(),
    /**
     * Create the variable sensitive (value unreadable after creation). Default: true for secrets
     * on production/preview, false otherwise. `true` cannot target development.
     */
    sensitive: z.boolean().optional(),
    /** Rotation period of a secret; `bin/ops-monitoring secrets` reports overdue ones. @example 90d */
    rotate_every: duration.optional(),
    /** When the secret was last rotated (ISO date), to compute the due date. @example 2026-09-01 */
    rotated_at: z.iso.date().optional(),
  })
  .refine((v) => (v.value === undefined) !== (v.secret === undefined), {
    error: "needs exactly one of value or secret",
  });

/** A Vercel project and the environment variables this stack manages on it. */
const vercel = z.strictObject({
  /** Vercel project name or id. @example prospectpro-web */
  project: z.string().min(1),
  /** Vercel team id, when the project belongs to a team. */
  team_id: z.string().optional(),
  /**
   * `always` when the team enforces sensitive environment variables (Vercel team setting
   * "Enforce Sensitive Environment Variables"): every variable is created sensitive, and one
   * that is not allowed to be (`sensitive: false`, a development target) fails validation.
   * Default `auto` (secrets sensitive, plain values not).
   * @see https://vercel.com/docs/environment-variables/sensitive-environment-variables#environment-variables-policy
   */
  sensitive: z.enum(["always", "auto"]).optional(),
  /**
   * Environment variables by name: one entry, or a list of entries with disjoint `targets`
   * (a value per target). @example NEXT_PUBLIC_SUPABASE_URL: [{ value: https://prod.supabase.co, targets: [production] }, { value: https://dev.supabase.co, targets: [preview, development] }]
   */
  env: z
    .record(
      z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { error: "must be an env var name (A-Z, 0-9, _)" }),
      z.union([vercelEnvVar, z.array(vercelEnvVar).min(1)]),
    )
    .optional(),
});

/** A job's heartbeat: alert when no success is recorded for 2x this period. */
const heartbeat = z.union([
  duration,
  z.strictObject({
    /** Expected success period. @example 1h */
    every: duration,
    /** Alert severity. Default P2. */
    severity: severity.optional(),
  }),
]);

export const SERVICE_KINDS = ["frontend", "api", "edge-function", "database", "job", "llm", "external-api"] as const;

const service = z.strictObject({
  /** Slug, unique across services and external APIs; becomes the `service` label and part of every uid. */
  name: slug,
  /** What the service is; selects default metric names and dashboards. */
  kind: z.enum(SERVICE_KINDS),
  /** Owning team; the `team` label on every alert of this service. Default `default_team`. */
  team: slug.optional(),
  /** One line shown in dashboards and alert descriptions. */
  description: z.string().optional(),
  /** How to find the service's series; defaults follow the instrumentation contract. */
  metrics: metrics.optional(),
  /**
   * Synthetic uptime check, or a list of checks (a frontend's `/` and its `/api/health`); each
   * alerts ProbeDown (and TLS expiry for https) on its own. All checks of a service share the
   * probe job `<service>-health` and differ by `instance` (the URL).
   */
  health: z.union([health, z.array(health).min(1)]).optional(),
  /** Service level objectives. */
  slos: z.array(slo).optional(),
  /** Plain threshold alerts per signal and severity. */
  thresholds: thresholds.optional(),
  /** Jobs: expected success period, e.g. `1h`; alerts after 2x without success. */
  heartbeat: heartbeat.optional(),
  /** The Vercel project of the service and its environment variables. */
  vercel: vercel.optional(),
  /**
   * `kind: database` only: the DatabaseDown alert (`pg_up` is 0) and, with `metrics.scrape`,
   * DatabaseMetricsDown (its metrics endpoint fails to scrape or vanishes). Default
   * `{ severity: P0, for: 1m }`. @example { severity: P1, for: 2m }
   */
  down: z
    .strictObject({
      /** Severity of both alerts. Default P0. */
      severity: severity.optional(),
      /** How long the database (or its endpoint) must be down before alerting. Default 1m. */
      for: duration.optional(),
    })
    .optional(),
});

/** A rate limit of an external API: at most `calls` per `per`. @example { calls: 30, per: minute } */
const rateLimit = z.strictObject({
  /** Calls allowed per `per`. @example 30 */
  calls: z.number().positive(),
  /** The limit's period. @example minute */
  per: z.enum(["second", "minute", "hour", "day"]),
  /** Alert when the call rate reaches this share of the limit. Default "80%". */
  alert_at: percent.optional(),
  /** Severity of the alert. Default P2. */
  severity: severity.optional(),
  /** How long the rate must stay at `alert_at` or above. Default 5m. */
  for: duration.optional(),
});

/**
 * A size quota of a platform plan (database size, file storage, monthly bandwidth), read from
 * the gauge `ops_external_api_usage_bytes{api, resource}` (for a monthly allowance such as
 * bandwidth: the month-to-date amount). @example { resource: database, limit: 500MB }
 */
const sizeQuota = z.strictObject({
  /** The `resource` label value. @example storage */
  resource: slug,
  /** The plan's limit. @example 1GB */
  limit: byteSize,
  /** Alert when usage reaches this share of `limit`. Default "80%". */
  alert_at: percent.optional(),
  /** Severity of the alert. Default P2. */
  severity: severity.optional(),
  /**
   * A `kind: database` service whose `pg_database_size_bytes` (postgres_exporter, Supabase's
   * metrics endpoint) measures this quota, summed over its databases, instead of the usage
   * gauge. Default none (the gauge). @example db
   */
  database: slug.optional(),
});

/** A paid third-party API or platform: call quota per period, rate limits, size quotas, failure rate. */
const externalApi = z.strictObject({
  /** Slug; the `service` label of its alerts and the `api` label of its metrics. @example hunter */
  name: slug,
  /** Owning team. Default `default_team`. */
  team: slug.optional(),
  /** Calls allowed per period. @example 500 */
  quota: z.number().positive().optional(),
  /** Quota period. Default month. */
  period: z.enum(["day", "month"]).optional(),
  /** Alert when this share of the quota is used. Default "80%". */
  alert_at: percent.optional(),
  /** Severity of the quota alert. Default P2. */
  severity: severity.optional(),
  /** Failure-rate thresholds of calls to it. @example { P2: "5%" } */
  failure_rate: thresholdSet.optional(),
  /**
   * Rate limits: calls allowed per second, minute, hour or day, measured from
   * `ops_external_api_requests_total{api}`. @example [{ calls: 30, per: minute }] (Groq free tier)
   */
  rate_limits: z.array(rateLimit).optional(),
  /**
   * Size quotas of a platform plan, measured by the gauge `ops_external_api_usage_bytes{api, resource}`.
   * @example [{ resource: database, limit: 500MB }, { resource: storage, limit: 1GB }] (Supabase free plan)
   */
  sizes: z.array(sizeQuota).optional(),
});

/**
 * One budget level: alert when month-to-date spend reaches `at` of the monthly budget.
 * @example { at: "150%", severity: P1 }
 */
const budgetLevel = z.strictObject({
  /** Share of `monthly_usd`, may exceed 100%. @example "80%" */
  at: percent,
  /** Severity of this level's alert. @example P2 */
  severity,
});

/** A monthly amount and the levels alerting on it; `levels` replaces `alert_at` + `severity`. */
const budgetLimits = {
  /** Monthly budget in USD. @example 270 */
  monthly_usd: z.number().positive(),
  /**
   * Alert when month-to-date spend reaches this share (at `severity`); another alert (P1, or
   * `severity` when higher) fires at 100%. Default "80%". Not together with `levels`.
   */
  alert_at: percent.optional(),
  /** Severity of the `alert_at` alert. Default P2. Not together with `levels`. */
  severity: severity.optional(),
  /**
   * Several levels, each with its own severity, instead of `alert_at` + `severity`.
   * @example [{ at: "80%", severity: P3 }, { at: "100%", severity: P2 }, { at: "150%", severity: P1 }]
   */
  levels: z.array(budgetLevel).min(1).optional(),
};

const noLevelsWithAlertAt = (v: { alert_at?: string; severity?: string; levels?: unknown[] }) =>
  !(v.levels && (v.alert_at !== undefined || v.severity !== undefined));
const LEVELS_ERROR = { error: "takes either levels or alert_at/severity, not both", path: ["levels"] };

/**
 * Month-to-date spend (`ops_cost_month_to_date_usd`, summed over every `source`) against a
 * monthly budget, plus optional budgets of single billing sources.
 */
const budget = z
  .strictObject({
    ...budgetLimits,
    /**
     * Budgets of single billing sources: the `source` label of `ops_cost_month_to_date_usd` →
     * its own `monthly_usd` and levels. Default none.
     * @example { openai: { monthly_usd: 50, levels: [{ at: "100%", severity: P2 }] } }
     */
    sources: z
      .record(
        z.string().regex(/^[a-zA-Z0-9_.-]+$/, { error: "must be a source label value (a-z, A-Z, 0-9, _ . -)" }),
        z.strictObject(budgetLimits).refine(noLevelsWithAlertAt, LEVELS_ERROR),
      )
      .optional(),
  })
  .refine(noLevelsWithAlertAt, LEVELS_ERROR);

/** A hand-written PromQL alert, validated and labelled like generated ones. */
const rawRule = z.strictObject({
  /** Alert name, CamelCase. @example OrphanedRecords */
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, { error: "must be an alert name like OrphanedRecords" }),
  /** PromQL; the alert fires for every series it returns. */
  expr: z.string().min(1),
  /** How long the expression must hold. Default 0s. */
  for: duration.optional(),
  severity,
  /** Service (or external API) the alert belongs to; gives `service` and `team`. */
  service: slug,
  /** Signal label. Default custom. */
  signal: signal.optional(),
  /** Annotation `summary`. Default derived from the name. */
  summary: z.string().optional(),
  /** Annotation `description`. */
  description: z.string().optional(),
  /** Annotation `runbook_url`: where on-call reads what to do. Default `<runbooks.base_url>/custom.md`. @example https://wiki.example.com/orphaned-records */
  runbook_url: z.string().min(1).optional(),
  /**
   * Annotation `dashboard_url`. Default the rule's own panel on the overview dashboard
   * ("Hand-written rules" row), which plots `expr`. @example https://grafana.example.com/d/crm
   */
  dashboard_url: z.string().min(1).optional(),
});

/**
 * Who owns the rules of a hand-written rule file or directory, and what its severities mean,
 * declared once so a published file (kube-prometheus, a monitoring mixin,
 * awesome-prometheus-alerts, Sloth output) is used as written. A rule's own `service`, `team`
 * or P0..P3 `severity` label still wins over these.
 * @example { path: kube-prometheus/, service: platform, severity_map: { critical: P1, warning: P2, info: P3, none: P3 } }
 */
const ruleFiles = z.strictObject({
  /**
   * A rule file or directory, relative to the hand-written rules directory (`alerts/custom/`
   * beside the catalog, or `--custom-rules`); files of `<system>/` may be named with or without
   * that prefix. A directory applies to every file below it; the longest matching path wins.
   * It must match at least one file. @example kube-prometheus/
   */
  path: z
    .string()
    .min(1)
    .refine((p) => !p.split("/").includes("..") && !p.startsWith("/"), {
      error: "must be a relative path inside the rules directory (no .. or leading /)",
    }),
  /** Service (or external API) of the catalog its alerts belong to: `service` label, team and routing. */
  service: slug,
  /** `team` label of its alerts. Default the service's team. */
  team: slug.optional(),
  /**
   * The files' severity label values → catalog severities. Values not listed must be catalog
   * severities themselves. @example { critical: P0, warning: P2, info: P3, none: P3, page: P0, ticket: P2 }
   */
  severity_map: z.record(z.string().min(1), severity).optional(),
  /**
   * Label whose value `severity_map` reads. Default `severity`. Sloth output: `sloth_severity`
   * (`page`/`ticket`); the alert's own `severity` label is then replaced by the mapped severity
   * (a warning names the values replaced). @example sloth_severity
   */
  severity_label: z
    .string()
    .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, { error: "must be a label name" })
    .optional(),
  /** Severity of its alerts that carry no `severity` label. Default none: such an alert is refused. */
  severity: severity.optional(),
});

/** Notification targets. Secret fields must be secret references. */
const contact = z.discriminatedUnion("type", [
  z.strictObject({
    /** PagerDuty Events API v2. */
    type: z.literal("pagerduty"),
    /** Events API v2 integration (routing) key. */
    integration_key: secretRef,
  }),
  z.strictObject({
    /** Slack incoming webhook. */
    type: z.literal("slack"),
    /** Incoming-webhook URL. */
    url: secretRef,
    /** Channel override. @example "#alerts" */
    channel: z.string().optional(),
  }),
  z.strictObject({
    /** Email via SMTP. */
    type: z.literal("email"),
    /** Recipients. */
    to: z.array(z.email()).min(1),
    /** Sender. Default `alerts@<system>.invalid` — set it for real mail. */
    from: z.email().optional(),
    /** SMTP relay host:port. Default localhost:25. */
    smarthost: z.string().optional(),
    /** SMTP user name. */
    username: z.string().optional(),
    /** SMTP password. */
    password: secretRef.optional(),
  }),
  z.strictObject({
    /** Generic JSON webhook (Alertmanager / Grafana payload). */
    type: z.literal("webhook"),
    /** Receiver URL; receives Alertmanager's / Grafana's JSON payload. */
    url: z.union([httpUrl, secretRef]),
  }),
]);

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: "must be a time of day like 07:30 (UTC)" });

/** A recurring window in which notifications are muted (maintenance, nights for P2). */
const muteTiming = z.strictObject({
  /** Slug. */
  name: slug,
  /** Weekdays, e.g. ["saturday", "sunday"] or ["monday:friday"]. */
  weekdays: z.array(z.string()).optional(),
  /** Times of day, e.g. [{ start: "22:00", end: "07:00" }] (in `location`, default UTC). */
  times: z.array(z.strictObject({ start: timeOfDay, end: timeOfDay })).optional(),
  /** Severities muted in this window. */
  severities: z.array(severity).min(1),
  /**
   * IANA time zone `weekdays` and `times` are read in. Default UTC.
   * @example Europe/Berlin
   * @see https://prometheus.io/docs/alerting/latest/configuration/#time_interval
   */
  location: z.string().optional(),
});

/**
 * Who else is told when an alert of one severity is still firing some time after it started.
 * @example { after: 30m, to: [lead] }
 */
const escalationStep = z.strictObject({
  /**
   * How long after the alert first fired `to` is notified too, while it still fires; the
   * condition clearing for less than min(after, 5m) does not restart the count. @example 30m
   */
  after: duration,
  /** Contacts (names under `alerting.contacts`) notified on escalation; none of them hears of the alert before `after`. @example [lead] */
  to: z.array(z.string()).min(1),
});

/**
 * A notification rule matched before the severity routes: alerts whose labels match go to
 * `to` instead of their severity's contacts. The first matching policy wins.
 * @example { match: { signal: budget }, to: [finance] }
 */
const policy = z.strictObject({
  /** Label values an alert must all have (at least one key). */
  match: z.strictObject({
    /** The alert's `signal`. @example budget */
    signal: signal.optional(),
    /** The alert's `team` (a service's `team`, else `default_team`). @example growth */
    team: z.string().optional(),
    /** The alert's `service`: a service, an external API, `budget` or `monitoring`. @example web */
    service: z.string().optional(),
  }),
  /** Contacts (names under `alerting.contacts`) notified instead of the severity's. @example [finance] */
  to: z.array(z.string()).min(1),
});

/**
 * Review gates of one severity, checked where people review: `verify` (worst-case detection
 * time of every alert, see README "Detection bounds") and `backtest` (pages per week over history).
 * @example { detect: 5m, pages_per_week: 2 }
 */
const objective = z.strictObject({
  /**
   * Longest acceptable worst-case time from the start of an incident to the first notification
   * of an alert of this severity (collection + evaluation + crossing + `for` + group_wait).
   * `verify` fails naming each alert that cannot meet it and the terms of its bound. Default none.
   * @example 5m
   */
  detect: duration.optional(),
  /**
   * Most notifications (firing episodes) per week that alerts of this severity may send, over
   * the range `backtest` replays. A PR whose head exceeds it while the base stayed within fails
   * its backtest check. Default none.
   * @example 2
   */
  pages_per_week: z.number().nonnegative().optional(),
});

/** Who is notified of what, and how insistently. */
const alerting = z.strictObject({
  /**
   * Per severity: the detection time and noise budget reviews check. Keys are severities
   * (aliases allowed). Default none.
   * @example { P0: { detect: 5m, pages_per_week: 2 }, P1: { detect: 15m } }
   */
  objectives: z.record(z.string(), objective).optional(),
  /**
   * Unacknowledged P0/P1 alerts re-notify this long after their last notification; P0/P1
   * routes get a `group_interval` that divides it, so it holds exactly. Whole seconds, at
   * least 2s. Default 5m.
   */
  ack_timeout: duration.optional(),
  /** Contacts per severity; an empty list means dashboard only. */
  routes: z.record(z.string(), z.array(z.string())).optional(),
  /** Contacts by name. */
  contacts: z.record(slug, contact).optional(),
  /** Contact receiving the always-firing Watchdog (dead-man's switch). Default none. */
  watchdog: z.string().optional(),
  /**
   * Labels notifications are grouped by, the same in both targets. Default [alert, service,
   * severity]; `alertname` is read as `alert` (the Prometheus alert name every alert carries),
   * since Grafana's `alertname` is the rule title `<alert> (<id>)`.
   */
  group_by: z.array(z.string()).min(1).optional(),
  /** Recurring windows muting some severities. Default none. */
  mute_timings: z.array(muteTiming).optional(),
  /**
   * Per severity: who else is notified when an alert is still firing `after` it started.
   * Keys are severities (aliases allowed). Default none.
   * @example { P0: { after: 30m, to: [lead] } }
   */
  escalation: z.record(z.string(), escalationStep).optional(),
  /** Routing by signal, team or service, matched in order before the severity routes. Default none. */
  policies: z.array(policy).optional(),
});

/** The repository whose Actions secrets and variables this stack sets. */
const github = z.strictObject({
  /** owner/name. @example acme/prospectpro */
  repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { error: "must be owner/name" }),
  /**
   * Actions secrets: NAME → stack output or secret config key. Names: A-Z, 0-9, _, not starting
   * with a digit or `GITHUB_` (GitHub refuses those).
   */
  secrets: z
    .record(
      z.string().regex(/^[A-Z_][A-Z0-9_]*$/, {
        error: "must be an Actions secret name (A-Z, 0-9, _; not starting with a digit)",
      }),
      z.string(),
    )
    .optional(),
  /** Actions variables: NAME → stack output or config key. Same name rules as `secrets`. */
  variables: z
    .record(
      z.string().regex(/^[A-Z_][A-Z0-9_]*$/, {
        error: "must be an Actions variable name (A-Z, 0-9, _; not starting with a digit)",
      }),
      z.string(),
    )
    .optional(),
});

export const catalogSchema = z.strictObject({
  /** Slug prefixing every uid, folder and rule group. @example prospectpro */
  system: slug,
  /** Environment name; `environment` external label and OTel `deployment.environment`. Default production. */
  environment: z.string().optional(),
  /** Team of services and APIs that name none. Default ops. */
  default_team: slug.optional(),
  /** Grafana instance the alerts link to; `url` builds `dashboard_url`. */
  grafana: z
    .strictObject({
      /**
       * Base URL of the Grafana instance: `dashboard_url` links, `ack --stack prod`. In a Pulumi
       * stack file it is taken from the stack's `grafana:url` and must not be written here too.
       * Default none (links relative). @example https://acme.grafana.net
       */
      url: httpUrl.optional(),
      folder: z.string().optional(),
      /**
       * Version of the prod Grafana, `MAJOR.MINOR[.PATCH]`, at least 11.0. Default 12.0: Grafana
       * Cloud runs 12.x, which has every feature used. Below 11.2 (or with `recording_rules:
       * false`) alerts compute their recording rules inline; below 11.5.2 rules get no explicit
       * uid (they are identified by title); below 12.0 recording rules omit
       * `targetDatasourceUid` and alerts resolve one evaluation after their series is gone
       * (no `missingSeriesEvalsToResolve`). @example 11.6.1
       */
      version: z
        .string()
        .regex(/^\d+\.\d+(\.\d+)?$/, { error: "must be a Grafana version like 12.0 or 11.5.2" })
        .refine((v) => Number(v.split(".")[0]) >= 11, {
          error: "is older than 11.0, the oldest Grafana the prod stack provisions",
        })
        .optional(),
      /**
       * Whether the prod Grafana runs Grafana-managed recording rules (11.2+ with the
       * `grafanaManagedRecordingRules` feature toggle; on in Grafana Cloud). Default: true from
       * 11.2 on. With false, alerts compute their recording rules inline. @example false
       */
      recording_rules: z.boolean().optional(),
    })
    .optional(),
  /** Where runbooks are published. Default `https://github.com/<github.repository>/blob/main/docs/runbooks`. */
  runbooks: z.strictObject({ base_url: httpUrl }).optional(),
  /** Synthetic Monitoring defaults. */
  synthetics: z
    .strictObject({
      /** Default probe locations of health checks, public probe names. Default Frankfurt, NorthVirginia, Singapore. */
      probes: z.array(z.string()).min(1).optional(),
      /** Names of your private probes, accepted in `probes` besides the public ones. Default none. */
      private_probes: z.array(z.string().min(1)).optional(),
    })
    .optional(),
  /** Where apps send OpenTelemetry (OTLP/HTTP); fills OTEL_* env vars of Vercel projects. */
  telemetry: z.strictObject({ otlp_endpoint: httpUrl, otlp_headers: secretRef.optional() }).optional(),
  /** What is watched: one entry per deployable thing. Default none. */
  services: z.array(service).optional(),
  /** Paid third-party APIs with quotas. Default none. */
  external_apis: z.array(externalApi).optional(),
  /** Monthly spend limit. Default none (no budget alerts). */
  budget: budget.optional(),
  /** Escape hatch: raw PromQL alerts, validated and labelled like generated ones. */
  rules: z.array(rawRule).optional(),
  /**
   * Owner and severity mapping of hand-written Prometheus rule files (`alerts/custom/`), per
   * file or directory. Default none: every alert of a file carries its own `service` and a
   * catalog `severity` label.
   */
  rule_files: z.array(ruleFiles).optional(),
  /** Notification routing: contacts, routes per severity, ack timeout, Watchdog, mute timings. */
  alerting: alerting.optional(),
  /** GitHub Actions secrets and variables this stack manages. */
  github: github.optional(),
});

export type RawCatalog = z.infer<typeof catalogSchema>;
export type RawService = z.infer<typeof service>;
export type RawRuleFiles = z.infer<typeof ruleFiles>;
export type RawThresholdSet = z.infer<typeof thresholdSet>;
