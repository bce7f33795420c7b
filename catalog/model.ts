/**
 * The validated, normalized catalog every renderer consumes: defaults applied, aliases
 * resolved, durations in milliseconds, percentages as ratios (0.05 for "5%").
 */
import type { Severity } from "./units";
import type { SecretRef } from "./schema";

export type { Severity, SecretRef };

export type ServiceKind = "frontend" | "api" | "edge-function" | "database" | "job" | "llm" | "external-api";

/** Values of the `signal` label of an alert: what kind of problem it reports (the alert contract). */
export const SIGNALS = [
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
] as const;
export type Signal = (typeof SIGNALS)[number];

export interface Catalog {
  system: string;
  environment: string;
  defaultTeam: string;
  /** Base URL of Grafana for `dashboard_url` links, without trailing slash. */
  grafanaUrl?: string;
  /** Title of the Grafana folder; default the system name. */
  folderTitle: string;
  /** The prod Grafana's version and whether it runs Grafana-managed recording rules (`grafana.version`, `grafana.recording_rules`). */
  grafanaVersion: { version: [number, number, number]; recordingRules: boolean };
  /** Base URL of `docs/runbooks/`, without trailing slash. */
  runbookBaseUrl: string;
  syntheticProbes: string[];
  telemetry?: { otlpEndpoint: string; otlpHeaders?: SecretRef };
  services: Service[];
  externalApis: ExternalApi[];
  budget?: Budget;
  rules: RawRule[];
  /** `rule_files`: owner and severity mapping of hand-written rule files, by path. */
  ruleFiles: RuleFiles[];
  alerting: Alerting;
  github?: GitHub;
}

export interface Service {
  name: string;
  kind: ServiceKind;
  team: string;
  description?: string;
  metrics: ServiceMetrics;
  /** Synthetic checks, none when the service has no `health:`. */
  health: HealthCheck[];
  slos: Slo[];
  thresholds: Threshold[];
  heartbeat?: { everyMs: number; severity: Severity };
  vercel?: VercelProject;
  /** Databases only: severity and `for` of DatabaseDown / DatabaseMetricsDown. */
  down?: { severity: Severity; forMs: number };
}

export interface ServiceMetrics {
  /** Label matchers without braces, e.g. `job="web"`. */
  selector: string;
  /** Histogram base name (no `_bucket`/`_count`). */
  duration: string;
  /** Matchers selecting the duration histogram (default: `selector`). */
  latencySelector: string;
  /** Matcher marking failed requests, e.g. `http_response_status_code=~"5.."`. */
  errors: string;
  scrape?: { url: string; username?: string; password?: SecretRef; bearer?: SecretRef; everyMs?: number };
}

export interface HealthCheck {
  /** The check's name (explicit, or derived from the URL path). */
  name: string;
  /** Set when the service has several checks: the check's name, which then suffixes its ids and job names. */
  key?: string;
  url: string;
  everyMs: number;
  timeoutMs: number;
  expectStatus: number[];
  expectBody?: string;
  method: "GET" | "HEAD" | "POST";
  severity: Severity;
  forMs: number;
  /** Only for https URLs. */
  tlsExpiryMs?: number;
  probes: string[];
  /** Credentials the probe sends, secrets only. */
  auth?: ProbeAuth;
}

/** Basic auth or a bearer token for a probe. */
export type ProbeAuth = { username: string; password: SecretRef } | { bearer: SecretRef };

export type SliKind = "availability" | "latency" | "probe";

export interface Slo {
  name: string;
  sli: SliKind;
  /** Ratio, e.g. 0.999 for 99.9. */
  objective: number;
  /** Latency SLIs: bucket boundary in ms. */
  thresholdMs?: number;
  windowMs: number;
  page: Severity;
  ticket: Severity;
}

export type ThresholdKind =
  "error_rate" | "availability" | "latency_p50" | "latency_p95" | "latency_p99" | "connections" | "replication_lag";

/** One threshold alert: a signal, a severity and its bound. */
export interface Threshold {
  kind: ThresholdKind;
  severity: Severity;
  /**
   * Bound in the signal's unit: ratio for error_rate/availability and percentage connections,
   * seconds for latency and replication lag, a count for absolute connections.
   */
  value: number;
  /** As written in the catalog, for messages and diffs ("5%", "2s", 80). */
  display: string;
  /** connections only: `value` is a share of max_connections. */
  relative?: boolean;
  forMs: number;
}

export interface VercelProject {
  project: string;
  teamId?: string;
  /** `always`: the team enforces sensitive variables, so every variable is created sensitive. */
  sensitive: "always" | "auto";
  /** One item per catalog entry; a key written as a list has one item per list entry. */
  env: VercelEnvVar[];
}

export interface VercelEnvVar {
  key: string;
  value?: string;
  secret?: string;
  targets: Array<"production" | "preview" | "development">;
  /** Explicit `sensitive:` of the entry; default: secrets are sensitive where Vercel allows it. */
  sensitive?: boolean;
  rotateEveryMs?: number;
  rotatedAt?: string;
}

export interface ExternalApi {
  name: string;
  team: string;
  quota?: number;
  period: "day" | "month";
  alertAt: number;
  severity: Severity;
  failureRate: Threshold[];
  rateLimits: RateLimit[];
  sizes: SizeQuota[];
}

export type RatePeriod = "second" | "minute" | "hour" | "day";

export interface RateLimit {
  calls: number;
  per: RatePeriod;
  alertAt: number;
  severity: Severity;
  forMs: number;
}

export interface SizeQuota {
  /** `resource` label of the usage gauge. */
  resource: string;
  limitBytes: number;
  /** As written, e.g. "500MB". */
  display: string;
  alertAt: number;
  severity: Severity;
  /** Service (`kind: database`) whose `pg_database_size_bytes` is the usage, instead of the usage gauge. */
  database?: string;
}

/** Alert when month-to-date spend reaches `at` (a ratio of the monthly amount, may exceed 1). */
export interface BudgetLevel {
  at: number;
  severity: Severity;
}

export interface Budget {
  monthlyUsd: number;
  severity: Severity;
  /** Every level, ascending; from `levels`, or `alert_at` plus 100% (at least P1). */
  levels: BudgetLevel[];
  /** Budgets of single billing sources (`source` label), by source name. */
  sources: SourceBudget[];
}

export interface SourceBudget {
  source: string;
  monthlyUsd: number;
  levels: BudgetLevel[];
}

export interface RuleFiles {
  /** Relative to the rules directory, without a trailing slash. */
  path: string;
  service: string;
  team?: string;
  severityMap: Map<string, Severity>;
  /** Label `severityMap` reads (`severity_label`, default `severity`). */
  severityLabel: string;
  severity?: Severity;
}

export interface RawRule {
  name: string;
  expr: string;
  forMs: number;
  severity: Severity;
  service: string;
  signal: Signal;
  summary?: string;
  description?: string;
  runbookUrl?: string;
  dashboardUrl?: string;
}

export type Contact =
  | { name: string; type: "pagerduty"; integrationKey: SecretRef }
  | { name: string; type: "slack"; url: SecretRef; channel?: string }
  | {
      name: string;
      type: "email";
      to: string[];
      from: string;
      smarthost: string;
      username?: string;
      password?: SecretRef;
      /** Which of `from`, `smarthost`, `username`, `password` the catalog sets: Alertmanager's SMTP settings, which Grafana ignores. */
      smtpKeys: string[];
    }
  | { name: string; type: "webhook"; url: string | SecretRef };

export interface MuteTiming {
  name: string;
  weekdays: string[];
  times: Array<{ start: string; end: string }>;
  severities: Severity[];
  /** IANA time zone of `weekdays` and `times`; absent = UTC. */
  location?: string;
}

/** Who else is notified when an alert of one severity is still firing `afterMs` after it started. */
export interface Escalation {
  severity: Severity;
  afterMs: number;
  to: string[];
}

/** Labels an alert must all have for a policy to take it. */
export interface PolicyMatch {
  signal?: Signal;
  team?: string;
  service?: string;
}

/** Contacts for the alerts matching `match`, instead of their severity's; first match wins. */
export interface Policy {
  match: PolicyMatch;
  to: string[];
}

/** `alerting.objectives.<severity>`: review gates of one severity. */
export interface Objective {
  severity: Severity;
  /** Longest acceptable worst-case detection time of an alert of this severity. */
  detectMs?: number;
  /** Most firing episodes per week over backtested history. */
  pagesPerWeek?: number;
}

export interface Alerting {
  ackTimeoutMs: number;
  /** Contact names per severity, every severity present (empty = dashboard only). */
  routes: Record<Severity, string[]>;
  contacts: Contact[];
  watchdog?: string;
  groupBy: string[];
  muteTimings: MuteTiming[];
  /** In severity order; at most one per severity. */
  escalations: Escalation[];
  /** In catalog order. */
  policies: Policy[];
  /** In severity order; at most one per severity. */
  objectives: Objective[];
}

export interface GitHub {
  repository: string;
  secrets: Record<string, string>;
  variables: Record<string, string>;
}
