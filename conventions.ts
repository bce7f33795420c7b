/**
 * Every name the project makes up lives here: label names, metric names of the
 * instrumentation contract, uids, rule-group and resource names, file paths. Renderers,
 * dashboards and infra import these instead of spelling names themselves.
 */
import { hash } from "node:crypto";
import type { ServiceKind } from "./catalog/model";

/** Labels every alert carries (the alert contract). */
export const LABEL = {
  service: "service",
  severity: "severity",
  signal: "signal",
  team: "team",
  slo: "slo",
  system: "system",
  environment: "environment",
  /** On the escalated copy of an alert: how long the original has been firing (`30m`). */
  escalation: "escalation",
  /**
   * The Prometheus alert name (`ProbeDown`) on every alert, in both targets: Grafana's
   * `alertname` is the rule title, so grouping, routing and silences use this label instead.
   */
  alert: "alert",
} as const;

/** Annotations every alert carries. */
export const ANNOTATION = {
  summary: "summary",
  description: "description",
  runbookUrl: "runbook_url",
  dashboardUrl: "dashboard_url",
} as const;

/** Metric names of the instrumentation contract (documented in the README). */
export const METRIC = {
  /** OTel `http.server.request.duration` as exported to Prometheus. */
  httpServerDuration: "http_server_request_duration_seconds",
  httpStatusLabel: "http_response_status_code",
  /** OTel `db.client.operation.duration`: query latency seen by the app. */
  dbClientDuration: "db_client_operation_duration_seconds",
  /** OTel GenAI `gen_ai.client.operation.duration`. */
  genAiClientDuration: "gen_ai_client_operation_duration_seconds",
  /** OTel `http.client.request.duration`: calls the service makes. */
  httpClientDuration: "http_client_request_duration_seconds",
  /** A job run's duration, histogram. */
  jobRunDuration: "ops_job_run_duration_seconds",
  /** Unix time of a job's last successful run, gauge. */
  jobLastSuccess: "ops_job_last_success_timestamp_seconds",
  /** Calls made to an external API in this quota period, gauge with label `api`. */
  quotaUsed: "ops_external_api_quota_used",
  /** Calls to an external API, counter with labels `api` and `outcome` (success | failure). */
  externalApiRequests: "ops_external_api_requests_total",
  /**
   * Bytes used of a platform's size quota, gauge with labels `api` and `resource` (database,
   * storage; a monthly allowance such as bandwidth as its month-to-date amount).
   */
  usageBytes: "ops_external_api_usage_bytes",
  /** Month-to-date spend in USD, gauge with label `source` (vercel, supabase, openai, ...). */
  costMonthToDate: "ops_cost_month_to_date_usd",
  /** Deployments, counter with label `service` (drives deploy annotations). */
  deployments: "ops_deployments_total",
  // Blackbox exporter / Grafana Synthetic Monitoring.
  probeSuccess: "probe_success",
  probeDuration: "probe_duration_seconds",
  probeHttpStatus: "probe_http_status_code",
  probeSslExpiry: "probe_ssl_earliest_cert_expiry",
  // postgres_exporter names, as served by Supabase's metrics endpoint.
  pgConnections: "pg_stat_database_numbackends",
  pgMaxConnections: "pg_settings_max_connections",
  pgBlocksHit: "pg_stat_database_blks_hit",
  pgBlocksRead: "pg_stat_database_blks_read",
  pgReplicationLag: "pg_replication_lag",
  pgUp: "pg_up",
  /** postgres_exporter's size of each database (`datname`), in bytes. */
  pgDatabaseSize: "pg_database_size_bytes",
  /** Prometheus' scrape health of a target (1 = scraped). */
  up: "up",
  /** Prometheus' synthetic series of pending/firing alerts, label `alertstate`. */
  alerts: "ALERTS",
  /** Alertmanager: notifications given up on after every retry failed, counter with label `integration`. */
  amNotificationsFailed: "alertmanager_notifications_failed_total",
  /** Alertmanager: single delivery attempts that failed (retried ones included), label `integration`. */
  amNotificationRequestsFailed: "alertmanager_notification_requests_failed_total",
  /**
   * Grafana Cloud's rate of notifications its Grafana-managed Alertmanager failed to deliver, in
   * the `grafanacloud-usage` data source (grafana/grafana
   * public/app/features/alerting/unified/insights/grafana/alertmanager/NotificationsScene.tsx).
   */
  grafanaCloudNotificationsFailed: "grafanacloud_grafana_instance_alerting_notifications_failed_total:rate5m",
} as const;

/** Label of the Alertmanager notification metrics naming the notifier kind (slack, pagerduty, email, webhook). */
export const INTEGRATION_LABEL = "integration";
/** Uid of Grafana Cloud's usage data source, which holds the hosted Grafana's own alerting metrics. */
export const GRAFANA_CLOUD_USAGE_DATASOURCE = "grafanacloud-usage";

/** Labels of the `ALERTS` series: the alert's name, and its state (value of a firing alert). */
export const ALERT_STATE_LABEL = "alertstate";
export const ALERT_NAME_LABEL = "alertname";
export const ALERT_STATE_FIRING = "firing";

export const API_LABEL = "api";
/** Label of `METRIC.usageBytes` naming the measured resource (a size quota's `resource`). */
export const RESOURCE_LABEL = "resource";
/** Label of `REC.customRule` naming the hand-written rule. */
export const CUSTOM_RULE_LABEL = "rule";
/** Label of rate-limit alerts and records: the limit's period (second | minute | hour | day). */
export const RATE_LIMIT_LABEL = "per";
/** Length of each rate-limit period. */
export const RATE_PERIOD_MS = { second: 1000, minute: 60_000, hour: 3600_000, day: 86_400_000 } as const;
/** How far back a quota-used gauge is read: its period (a month read as 31 days). */
export const QUOTA_PERIOD_MS = { day: 86_400_000, month: 31 * 86_400_000 } as const;
export const OUTCOME_LABEL = "outcome";
/** Label of `METRIC.costMonthToDate` naming who bills (vercel, supabase, openai, ...). */
export const COST_SOURCE_LABEL = "source";
/** Label of a budget level's line (`REC.budgetAlertAt`, `REC.sourceBudgetAlertAt`): the level, e.g. `80%`. */
export const BUDGET_LEVEL_LABEL = "level";
/** Values of `OUTCOME_LABEL`. */
export const OUTCOME = { success: "success", failure: "failure" } as const;

/**
 * How far back month-to-date spend is read (its last value within this window): a gauge pushed
 * once a day stays visible, and alerting, until the next push.
 */
export const COST_READ_WINDOW_MS = 86_400_000;
/** How far back a size quota's usage gauge is read (pushed once a day is enough). */
export const USAGE_READ_WINDOW_MS = 86_400_000;

/** A job alerts when its last success is older than this many heartbeats. */
export const HEARTBEAT_MISSING_FACTOR = 2;

/** Kinds whose traffic is served HTTP requests. */
export const HTTP_KINDS: ReadonlySet<ServiceKind> = new Set(["frontend", "api", "edge-function"]);

/** Default duration histogram per kind (OTel semantic conventions, Prometheus naming). */
export function defaultDurationMetric(kind: ServiceKind): string {
  switch (kind) {
    case "database":
      return METRIC.dbClientDuration;
    case "llm":
      return METRIC.genAiClientDuration;
    case "external-api":
      return METRIC.httpClientDuration;
    case "job":
      return METRIC.jobRunDuration;
    default:
      return METRIC.httpServerDuration;
  }
}

/** Default matcher marking a failed request/operation per kind. */
export function defaultErrorMatcher(kind: ServiceKind): string {
  return HTTP_KINDS.has(kind) ? `${METRIC.httpStatusLabel}=~"5.."` : `error_type!=""`;
}

/** Label holding a scrape job's name; OTel's `service.name` lands in it too. */
export const JOB_LABEL = "job";

/** Default series selector of a service: the OTel `service.name` becomes Prometheus' `job`. */
export function defaultSelector(service: string): string {
  return `${JOB_LABEL}="${service}"`;
}

/** Job name of a service's synthetic check (blackbox scrape job and SM check job). */
export function probeJob(service: string): string {
  return `${service}-health`;
}

/** Default name of a health check, from its URL path: `/` → `root`, `/api/health` → `api-health`. */
export function healthCheckName(url: string): string {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // validation reports the URL; the name only needs to be deterministic
  }
  return (
    path
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "root"
  );
}

/** Prometheus scrape job name of one check: the probe job, suffixed with the check's key when the service has several. */
export function probeScrapeJob(service: string, key?: string): string {
  return key ? `${probeJob(service)}-${key}` : probeJob(service);
}

/** Selector of a service's probe series. */
export function probeSelector(service: string): string {
  return `job="${probeJob(service)}"`;
}

/** Label holding `probeJob(service)` on probe series. */
export const PROBE_JOB_LABEL = "job";
/** Label of a probe's target URL; on the ProbeDown of each check of a health-check list too. */
export const INSTANCE_LABEL = "instance";

/** Selector of the probe series of every service whose name matches the regex `servicePattern`. */
export function probeSelectorMatching(servicePattern: string): string {
  return `${PROBE_JOB_LABEL}=~"${probeJob(servicePattern)}"`;
}

/** Default severity of each generated alert family. */
export const DEFAULT_SEVERITY = {
  probe: "P0",
  tlsWarning: "P2",
  tlsCritical: "P1",
  heartbeat: "P2",
  quota: "P2",
  budget: "P2",
  sloPage: "P0",
  sloTicket: "P2",
  databaseDown: "P0",
  probeDataMissing: "P1",
} as const;

export const DEFAULTS = {
  environment: "production",
  team: "ops",
  thresholdFor: "5m",
  healthEvery: "1m",
  healthTimeout: "5s",
  healthFor: "1m",
  tlsExpiry: "14d",
  tlsCritical: "3d",
  sloWindow: "30d",
  ackTimeout: "5m",
  alertAt: "80%",
  rateLimitFor: "5m",
  databaseDownFor: "1m",
  groupBy: [LABEL.alert, LABEL.service, LABEL.severity],
  syntheticProbes: ["Frankfurt", "NorthVirginia", "Singapore"],
  vercelTargets: ["production", "preview"],
  groupWait: "30s",
  groupInterval: "5m",
  repeatInterval: "4h",
  scrapeInterval: "30s",
  evaluationInterval: "30s",
} as const;

/** Runbook file (under `docs/runbooks/`) of each alert family. */
export const RUNBOOK = {
  probe: "probe-down.md",
  probe_missing: "probe-data-missing.md",
  database_down: "database-down.md",
  error_rate: "error-rate.md",
  availability: "availability.md",
  latency: "latency.md",
  slo_fast: "slo-fast-burn.md",
  slo_slow: "slo-slow-burn.md",
  saturation: "saturation.md",
  heartbeat: "heartbeat.md",
  quota: "quota.md",
  budget: "budget.md",
  tls: "tls-expiry.md",
  watchdog: "watchdog.md",
  notifications: "notifications-failing.md",
  custom: "custom.md",
} as const;
export type RunbookKey = keyof typeof RUNBOOK;

export const WATCHDOG_ALERT = "Watchdog";
/** Alert on notifications Alertmanager (or Grafana's notifier) could not deliver. */
export const NOTIFICATIONS_FAILING_ALERT = "NotificationsFailing";
/** The alert whose firing silences a service's error, latency and SLO alerts (Alertmanager inhibition). */
export const PROBE_DOWN_ALERT = "ProbeDown";

/** Pseudo-services for alerts that belong to no service. */
export const BUDGET_SERVICE = "budget";
export const MONITORING_SERVICE = "monitoring";
/** Rule group of the recording rules shared by services that follow the `job` convention. */
export const SHARED_RECORDS = "shared-records";
/** Prometheus rule group of the folded alerting rules, their condition records and held sources (alerts/fold.ts). */
export const FOLDED_ALERTS = "alerts";
/** Scrape job of Alertmanager's own metrics in `prometheus.yml`. */
export const ALERTMANAGER_JOB = `${MONITORING_SERVICE}-alertmanager`;
/** Names no service or external API may take: they name generated rule groups or scrape jobs. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  BUDGET_SERVICE,
  MONITORING_SERVICE,
  SHARED_RECORDS,
  FOLDED_ALERTS,
  ALERTMANAGER_JOB,
]);

/**
 * Longest catalog name (system, service, contact, team, check, custom group, ...): with the
 * longest generated affixes, `<system>-<service>.yml` stays far under 255 bytes, rule group
 * names under Grafana's 190 characters (`AlertRuleMaxRuleGroupNameLength`), and every uid is
 * hashed to 40 characters anyway.
 */
export const NAME_MAX = 63;

/** Longest Grafana rule group name (grafana/grafana pkg/services/ngalert/store `AlertRuleMaxRuleGroupNameLength`). */
export const RULE_GROUP_NAME_MAX = 190;

/** Why a name longer than NAME_MAX is refused, after "is N characters; ". */
export const NAME_MAX_HELP = `names are at most ${NAME_MAX} (every file, rule group, job and contact point made from them stays within its target's limit)`;

/** Prometheus rule group of one service's rules, prefixed by the system. */
export function ruleGroupName(system: string, service: string): string {
  return `${system}-${service}`;
}

/**
 * Rule group of a group of a hand-written rule file: `<system>-custom-<group>`, or, when
 * several files have a group of that name (legal in Prometheus), `<system>-custom-<file>-<group>`
 * for each, `<file>` its path without extension and with `/` as `-`.
 */
export function customRuleGroupName(system: string, group: string, file?: string): string {
  const prefix =
    file === undefined
      ? "custom"
      : `custom-${file
          .replace(/\.ya?ml$/, "")
          .split("/")
          .join("-")}`;
  return ruleGroupName(system, `${prefix}-${group}`);
}

/** Short digest of a rule's content, telling apart rules that share a name (ids and titles). */
export function contentDigest(text: string): string {
  return sha256Hex(text, 8);
}

/**
 * Recording rule of the condition of every alert folded into one alerting rule (alerts/fold.ts):
 * the alert name and a 64-bit digest of what the folded alerts share (`shared`, a canonical
 * text), so a rule per distinct text. Two texts sharing a record would fold alerts that differ,
 * so the digest is long enough that 10,000 distinct texts collide with odds of about 1 in 10^11.
 */
export function alertConditionRecord(alert: string, shared: string): string {
  return `alert:${alert.replace(/[^A-Za-z0-9_]/g, "_")}:condition_${sha256Hex(shared, 16)}`;
}

/** Whether a recording rule is one `alertConditionRecord` names. */
export const isAlertConditionRecord = (record: string) => /^alert:[A-Za-z0-9_]+:condition_[0-9a-f]{16}$/.test(record);

/** Recording rule of a suppressing alert's held condition, label `alert_id` (alerts/fold.ts). */
export const ALERT_HELD_RECORD = "alert:suppressing_condition:held";
export const ALERT_ID_LABEL = "alert_id";

/** Rule file name of one rule group. */
export function ruleFileName(group: string): string {
  return `${group}.yml`;
}

/**
 * Recording rules that give every service the same series names with a `service` label,
 * whatever its selector or kind, so dashboards are templated by `$service` and stay O(1).
 */
export const REC = {
  /** Requests (operations) per second. */
  requestRate: "service:requests:rate5m",
  /** Share of requests failing. */
  errorRatio: "service:errors:ratio_rate5m",
  /** Duration quantile in seconds, label `quantile` = 0.5 | 0.95 | 0.99. */
  latency: "service:request_duration_seconds:quantile_rate5m",
  /** Catalog thresholds as constant series, labels `signal`, `severity` (+ `quantile`), drawn on panels. */
  threshold: "service:alert_threshold:value",
  /** Database connections in use / allowed. */
  dbConnections: "service:db_connections:sum",
  dbMaxConnections: "service:db_max_connections:max",
  /** Buffer cache hit ratio. */
  dbCacheHit: "service:db_cache_hit:ratio_rate5m",
  dbReplicationLag: "service:db_replication_lag_seconds:max",
  /** The expression of each of the catalog's hand-written `rules:`, labels `service`, `rule` (the alert name). */
  customRule: "service:custom_rule:value",
  /** postgres_exporter's pg_up (0: cannot reach Postgres). */
  dbUp: "service:db_up:min",
  /** Seconds since a job's last success, and its heartbeat period. */
  jobLastSuccessAge: "service:job_last_success:age_seconds",
  jobHeartbeat: "service:job_heartbeat:seconds",
  /** Quota per period and the alert line, label `api`. */
  quotaLimit: "api:quota_limit:calls",
  quotaAlertAt: "api:quota_alert_at:calls",
  /** Calls used in the quota period as the quota alert reads them (the gauge's last value within the period), label `api`. */
  quotaUsed: "api:quota_used:calls",
  /** Monthly budget, and each of its alert levels in USD (label `level`). */
  budgetMonthly: "budget:monthly:usd",
  budgetAlertAt: "budget:alert_at:usd",
  /** Budget of one billing source and each of its alert levels in USD, labels `source`, `level`. */
  sourceBudgetMonthly: "budget:source_monthly:usd",
  sourceBudgetAlertAt: "budget:source_alert_at:usd",
  /** Rate limit and its alert line in calls per second, labels `api`, `per`. */
  rateLimit: "api:rate_limit:calls_per_second",
  rateLimitAlertAt: "api:rate_limit_alert_at:calls_per_second",
  /** Size quota and its alert line in bytes, labels `api`, `resource`. */
  sizeLimit: "api:size_limit:bytes",
  sizeAlertAt: "api:size_alert_at:bytes",
  /** Bytes used of a size quota measured by a database's `pg_database_size_bytes` (`sizes[].database`). */
  sizeUsed: "api:size_used:bytes",
} as const;

/** Label and values of `REC.latency` (and latency `REC.threshold`) series. */
export const QUANTILE_LABEL = "quantile";
export const LATENCY_QUANTILES = { p50: "0.5", p95: "0.95", p99: "0.99" } as const;

/** Windows of the `sloErrorRatioRecord` recording rules. */
export const SLO_WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"] as const;

/** Burn-rate factors of the multi-window alerts (SRE workbook ch. 5), drawn on the burn-rate panel. */
export const SLO_BURN_FACTORS = [14.4, 6, 3, 1] as const;

/** Panel titles alerts link to (`dashboard_url`, Grafana `__panelId__`). */
export const PANEL = {
  requestRate: "Request rate",
  errorRate: "Error rate",
  latency: "Duration percentiles",
  probeSuccess: "Probe success",
  probeDuration: "Probe duration",
  tlsDaysLeft: "TLS certificate days left",
  sloBudget: "Error budget remaining",
  sloBurn: "Burn rate",
  dbConnections: "Connections vs max",
  dbLatency: "Query latency",
  dbCacheHit: "Cache hit ratio",
  dbReplicationLag: "Replication lag",
  dbUp: "Database up",
  customRules: "Hand-written rules",
  quotaUsed: "Quota used",
  rateLimitUsed: "Rate limit used",
  sizeUsed: "Size quota used",
  apiFailureRate: "API failure rate",
  spend: "Month-to-date spend vs budget",
  jobAge: "Last success age vs heartbeat",
} as const;

/** Recording-rule names of the SLO error ratio over a window (Sloth/SRE-workbook style). */
export function sloErrorRatioRecord(window: string): string {
  return `slo:sli_error:ratio_rate${window}`;
}
export const SLO_OBJECTIVE_RECORD = "slo:objective:ratio";
export const SLO_BUDGET_REMAINING_RECORD = "slo:error_budget:remaining_ratio";

/** Environment variable a secret ref is read from outside Pulumi: `slackWebhookUrl` → `SLACK_WEBHOOK_URL`. */
export function secretEnvName(secret: string): string {
  return secret
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toUpperCase();
}

/** File (relative to the secrets dir) a process reads a secret from. */
export function secretFileName(secret: string): string {
  return secret;
}

/** Grafana uids are at most 40 chars; long ones keep a readable head and a stable hash tail. */
export function uid(...parts: string[]): string {
  return uidOf(parts.join("-"));
}

const UID_DISALLOWED = /[^a-z0-9-]+/g;

function uidOf(text: string): string {
  const raw = text.toLowerCase().replace(UID_DISALLOWED, "-");
  if (raw.length <= 40) return raw;
  return `${raw.slice(0, 31)}-${sha256Hex(raw, 8)}`;
}

/** The first `digits` hex digits of the sha256 of `text` (UTF-8), in one call rather than a Hash object per text. */
export function sha256Hex(text: string, digits: number): string {
  return hash("sha256", text).slice(0, digits);
}

/** Tag of the Grafana annotations marking a deploy (posted by CI), shown on every dashboard. */
export const DEPLOY_ANNOTATION_TAG = "deploy";

/** OpenTelemetry SDK environment variables every Vercel project gets from `telemetry:`. */
export const OTEL_ENV = {
  endpoint: "OTEL_EXPORTER_OTLP_ENDPOINT",
  headers: "OTEL_EXPORTER_OTLP_HEADERS",
  serviceName: "OTEL_SERVICE_NAME",
  resourceAttributes: "OTEL_RESOURCE_ATTRIBUTES",
} as const;

/**
 * Pulumi resource name of one Vercel env var: `<project>-<KEY>`, or `<project>-<KEY>-<targets>`
 * (`shop-web-GROQ_API_KEY-development`) when a key is several variables, one per set of targets.
 */
export function vercelEnvResourceName(project: string, key: string, targets?: readonly string[]): string {
  return targets ? resourceName(project, key, ...targets) : resourceName(project, key);
}

/** Pulumi resource name of one GitHub Actions secret or variable: `<owner>-<repo>-<secret|variable>-<NAME>`. */
export function githubActionsResourceName(repository: string, kind: "secret" | "variable", name: string): string {
  return resourceName(repository.replace("/", "-"), kind, name);
}

/** Stack outputs other sections produce that `github.secrets` / `github.variables` may name. */
export const STACK_OUTPUT = {
  grafanaUrl: "grafana-url",
  grafanaDeployToken: "grafana-deploy-token",
  grafanaFolderUid: "grafana-folder-uid",
  grafanaDashboardUids: "grafana-dashboard-uids",
} as const;

/** Dashboards, by key; uids are `<system>-<key>`. */
export const DASHBOARDS = {
  overview: "Overview",
  service: "Service (RED)",
  slos: "SLOs",
  database: "Database",
  "external-apis": "External APIs & cost",
  synthetics: "Synthetics",
  jobs: "Jobs",
} as const;
export type DashboardKey = keyof typeof DASHBOARDS;

export function dashboardUid(system: string, key: DashboardKey): string {
  return uid(system, key);
}

export function folderUid(system: string): string {
  return uid(system);
}

/** Uid of a Grafana-managed rule, stable under reordering: derived from its identity. */
export function ruleUid(system: string, identity: string): string {
  return uidOf(`${system}-${identity}`);
}

/** Pulumi resource names: `<system>-<what>`, unique per stack. */
export function resourceName(...parts: string[]): string {
  return parts.join("-");
}

/** Blackbox module name for one distinct probe expectation. */
export function blackboxModuleName(key: string): string {
  return `http_${sha256Hex(key, 10)}`;
}

/**
 * Title of a Grafana-managed rule (its `alertname`): the Prometheus name and the rule's identity,
 * `ErrorRateHigh (web/error_rate/P1)`, unique in the folder as Grafana < 12 requires, at most
 * `GRAFANA_TITLE_MAX` characters.
 */
export function grafanaRuleTitle(name: string, id: string): string {
  const title = `${name} (${id})`;
  if (title.length <= GRAFANA_TITLE_MAX) return title;
  return `${title.slice(0, GRAFANA_TITLE_MAX - 10)}~${contentDigest(title)})`;
}

/**
 * Longest Grafana rule title (grafana/grafana pkg/services/ngalert/store `AlertRuleMaxTitleLength`);
 * a longer one (a recording rule with a long id) keeps its first characters and a digest of the whole.
 */
export const GRAFANA_TITLE_MAX = 190;

/** Name of a Grafana contact point (what notification policies reference). */
export function contactPointName(system: string, contact: string): string {
  return resourceName(system, contact);
}

/** Name of a Grafana mute timing. */
export function muteTimingName(system: string, name: string): string {
  return resourceName(system, name);
}

/** Mute timing active at all times: mutes routes whose severity has no contacts (dashboard only). */
export const ALWAYS_MUTED = "dashboard-only";

/** Contact point every Grafana instance has; the root policy's receiver when the catalog has no contacts. */
export const GRAFANA_DEFAULT_CONTACT_POINT = "grafana-default-email";

/** Grafana service account whose token CI uses to post deploy annotations. */
export function deployServiceAccountName(system: string): string {
  return resourceName(system, "deploy-annotations");
}
