/**
 * One table per alert family, in the style of Sloth's and Pyrra's rule tests: a catalog
 * fragment in, the rule out, with its expression, `for` and labels written as literals (burn
 * factors 14.4/6/3/1 of the budget, windows 1h+5m, 6h+30m, 1d+2h, 3d+6h, per the SRE workbook
 * ch. 5). The literals are derived by hand from the catalog's numbers, never read from the
 * generator, so a changed bound, comparison, window or `for` shows up here by name. `expr` is
 * the alert's own condition; what suppresses it (a P0 of its service, ProbeDown) is
 * test/fixtures/semantics/suppression.test.yml's. Every alert carries `alert` = its name.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { generateRuleGroups } from "../../alerts/generate";
import type { AlertRule, RecordingRule, Rule } from "../../alerts/model";
import { formatDuration } from "../../catalog/units";
import { validateCatalog } from "../../catalog/validate";

interface Expected {
  id: string;
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
}

const rulesOf = (catalog: Record<string, unknown>): Rule[] =>
  generateRuleGroups(validateCatalog({ system: "t", ...catalog })).flatMap((g) => g.rules);

function alertOf(rules: Rule[], id: string): Expected {
  const r = rules.find((x): x is AlertRule => x.kind === "alert" && x.id === id);
  assert.ok(r, `no alert ${id} among ${rules.map((x) => x.id).join(", ")}`);
  return { id: r.id, alert: r.alert, expr: r.ownExpr ?? r.expr, for: formatDuration(r.forMs), labels: r.labels };
}

const web = (extra: Record<string, unknown>) => ({ services: [{ name: "web", kind: "frontend", ...extra }] });
const db = (extra: Record<string, unknown>) => ({ services: [{ name: "db", kind: "database", ...extra }] });
const labels = (service: string, severity: string, signal: string, more: Record<string, string> = {}) => ({
  service,
  severity,
  signal,
  team: "ops",
  ...more,
});

const table: Array<{ name: string; catalog: Record<string, unknown>; expected: Expected[] }> = [
  {
    name: "error_rate { P1: 5% } fires above 0.05 of the recorded error ratio for the default 5m",
    catalog: web({ thresholds: { error_rate: { P1: "5%" } } }),
    expected: [
      {
        id: "web/error_rate/P1",
        alert: "ErrorRateHigh",
        expr: 'service:errors:ratio_rate5m{service="web"} > 0.05',
        for: "5m",
        labels: labels("web", "P1", "error_rate"),
      },
    ],
  },
  {
    name: "availability { P2: 99.9%, for: 10m } fires when failures exceed 0.001 for 10m",
    catalog: web({ thresholds: { availability: { P2: "99.9%", for: "10m" } } }),
    expected: [
      {
        id: "web/availability/P2",
        alert: "SuccessRateLow",
        expr: 'service:errors:ratio_rate5m{service="web"} > 0.001',
        for: "10m",
        labels: labels("web", "P2", "availability"),
      },
    ],
  },
  {
    name: "latency_p50/p95/p99 read the 0.5, 0.95 and 0.99 quantile records in seconds",
    catalog: web({
      thresholds: { latency_p50: { P3: "800ms" }, latency_p95: { P2: "2s", for: "2m" }, latency_p99: { P1: "5s" } },
    }),
    expected: [
      {
        id: "web/latency_p50/P3",
        alert: "LatencyP50High",
        expr: 'service:request_duration_seconds:quantile_rate5m{service="web", quantile="0.5"} > 0.8',
        for: "5m",
        labels: labels("web", "P3", "latency"),
      },
      {
        id: "web/latency_p95/P2",
        alert: "LatencyP95High",
        expr: 'service:request_duration_seconds:quantile_rate5m{service="web", quantile="0.95"} > 2',
        for: "2m",
        labels: labels("web", "P2", "latency"),
      },
      {
        id: "web/latency_p99/P1",
        alert: "LatencyP99High",
        expr: 'service:request_duration_seconds:quantile_rate5m{service="web", quantile="0.99"} > 5',
        for: "5m",
        labels: labels("web", "P1", "latency"),
      },
    ],
  },
  {
    name: "connections: a number counts connections, a percentage is a share of max_connections",
    catalog: db({ thresholds: { connections: { P1: 80, P2: "90%" } } }),
    expected: [
      {
        id: "db/connections/P1",
        alert: "DbConnectionsHigh",
        expr: 'service:db_connections:sum{service="db"} > 80',
        for: "5m",
        labels: labels("db", "P1", "saturation"),
      },
      {
        id: "db/connections/P2",
        alert: "DbConnectionsHigh",
        expr: 'service:db_connections:sum{service="db"} / service:db_max_connections:max{service="db"} > 0.9',
        for: "5m",
        labels: labels("db", "P2", "saturation"),
      },
    ],
  },
  {
    name: "replication_lag { P2: 30s, for: 2m } fires above 30 seconds for 2m",
    catalog: db({ thresholds: { replication_lag: { P2: "30s", for: "2m" } } }),
    expected: [
      {
        id: "db/replication_lag/P2",
        alert: "DbReplicationLagHigh",
        expr: 'service:db_replication_lag_seconds:max{service="db"} > 30',
        for: "2m",
        labels: labels("db", "P2", "saturation"),
      },
    ],
  },
  {
    name: "a database is down when pg_up is 0 for 1m",
    catalog: db({}),
    expected: [
      {
        id: "db/database_down",
        alert: "DatabaseDown",
        expr: 'min(pg_up{job="db"}) == 0',
        for: "1m",
        labels: labels("db", "P0", "availability"),
      },
    ],
  },
  {
    name: "an external API's failure_rate { P2: 5%, for: 10m } compares failed calls with all calls over 5m",
    catalog: { external_apis: [{ name: "hunter", failure_rate: { P2: "5%", for: "10m" } }] },
    expected: [
      {
        id: "hunter/failure_rate/P2",
        alert: "ExternalApiFailureRateHigh",
        expr: '(sum(rate(ops_external_api_requests_total{api="hunter", outcome="failure"}[5m])) or vector(0)) / sum(rate(ops_external_api_requests_total{api="hunter"}[5m])) > 0.05',
        for: "10m",
        labels: labels("hunter", "P2", "error_rate"),
      },
    ],
  },
  {
    name: "a monthly quota of 500 calls at 80% fires when the last count of the month reaches 400",
    catalog: { external_apis: [{ name: "hunter", quota: 500, period: "month", alert_at: "80%" }] },
    expected: [
      {
        id: "hunter/quota",
        alert: "ExternalApiQuotaHigh",
        expr: 'max(last_over_time(ops_external_api_quota_used{api="hunter"}[31d])) >= 400',
        for: "0s",
        labels: labels("hunter", "P2", "quota"),
      },
    ],
  },
  {
    name: "a rate limit of 30 calls a minute fires at 80% (0.4/s) averaged over 2m, for the default 5m",
    catalog: { external_apis: [{ name: "groq", rate_limits: [{ calls: 30, per: "minute" }] }] },
    expected: [
      {
        id: "groq/rate_limit/minute",
        alert: "ExternalApiRateLimitHigh",
        expr: 'sum(rate(ops_external_api_requests_total{api="groq"}[2m])) >= 0.4',
        for: "5m",
        labels: labels("groq", "P2", "quota", { per: "minute" }),
      },
    ],
  },
  {
    name: "a 500MB size quota at 80% fires when the last usage within a day reaches 400000000 bytes",
    catalog: { external_apis: [{ name: "supabase", sizes: [{ resource: "database", limit: "500MB" }] }] },
    expected: [
      {
        id: "supabase/size/database",
        alert: "ExternalApiSizeQuotaHigh",
        expr: 'max(last_over_time(ops_external_api_usage_bytes{api="supabase", resource="database"}[1d])) >= 400000000',
        for: "0s",
        labels: labels("supabase", "P2", "quota", { resource: "database" }),
      },
    ],
  },
  {
    name: "a $270 budget at 80% reaches $216 and is exceeded at $270, on each source's last spend within a day",
    catalog: { budget: { monthly_usd: 270, alert_at: "80%" } },
    expected: [
      {
        id: "budget/alert_at",
        alert: "BudgetThresholdReached",
        expr: "sum(max by (source) (last_over_time(ops_cost_month_to_date_usd[1d]))) >= 216",
        for: "0s",
        labels: labels("budget", "P2", "budget"),
      },
      {
        id: "budget/exceeded",
        alert: "BudgetExceeded",
        expr: "sum(max by (source) (last_over_time(ops_cost_month_to_date_usd[1d]))) >= 270",
        for: "0s",
        labels: labels("budget", "P1", "budget"),
      },
    ],
  },
  {
    name: "a health check every 1m with a 5s timeout reads its last result within 5m (two intervals plus the timeout, at least 5m)",
    catalog: web({ health: { url: "https://web.example.com/health" } }),
    expected: [
      {
        id: "web/probe",
        alert: "ProbeDown",
        expr: 'max(last_over_time(probe_success{job="web-health"}[5m])) < 1',
        for: "1m",
        labels: labels("web", "P0", "probe"),
      },
      {
        id: "web/probe_data_missing",
        alert: "ProbeDataMissing",
        expr: 'absent_over_time(probe_success{job="web-health"}[5m])',
        for: "0s",
        labels: labels("web", "P1", "probe"),
      },
      {
        id: "web/tls/P2",
        alert: "TlsCertificateExpiring",
        expr: 'min(last_over_time(probe_ssl_earliest_cert_expiry{job="web-health"}[5m])) - time() < 1209600',
        for: "10m",
        labels: labels("web", "P2", "tls"),
      },
      {
        id: "web/tls/P1",
        alert: "TlsCertificateExpiring",
        expr: 'min(last_over_time(probe_ssl_earliest_cert_expiry{job="web-health"}[5m])) - time() < 259200',
        for: "10m",
        labels: labels("web", "P1", "tls"),
      },
    ],
  },
  {
    name: "a health check every 5m with a 10s timeout reads 10m10s back; tls_expiry 30d warns within 2592000 s",
    catalog: web({ health: { url: "https://web.example.com/health", every: "5m", timeout: "10s", tls_expiry: "30d" } }),
    expected: [
      {
        id: "web/probe",
        alert: "ProbeDown",
        expr: 'max(last_over_time(probe_success{job="web-health"}[10m10s])) < 1',
        for: "1m",
        labels: labels("web", "P0", "probe"),
      },
      {
        id: "web/tls/P2",
        alert: "TlsCertificateExpiring",
        expr: 'min(last_over_time(probe_ssl_earliest_cert_expiry{job="web-health"}[10m10s])) - time() < 2592000',
        for: "10m",
        labels: labels("web", "P2", "tls"),
      },
    ],
  },
  {
    name: "a job with a 1h heartbeat fires when its last success is more than 7200 s old, for 5m",
    catalog: { services: [{ name: "refresh", kind: "job", heartbeat: "1h" }] },
    expected: [
      {
        id: "refresh/heartbeat",
        alert: "JobHeartbeatMissing",
        expr: 'time() - (max(last_over_time(ops_job_last_success_timestamp_seconds{job="refresh"}[2h])) or vector(0)) > 7200',
        for: "5m",
        labels: labels("refresh", "P2", "heartbeat"),
      },
    ],
  },
  {
    name: "a catalog rule keeps its expression and for, with severity high as P1",
    catalog: {
      services: [{ name: "api", kind: "api" }],
      rules: [
        {
          name: "QueueBacklog",
          expr: "sum(queue_depth) > 1000",
          for: "15m",
          severity: "high",
          service: "api",
          signal: "saturation",
        },
      ],
    },
    expected: [
      {
        id: "api/custom/QueueBacklog",
        alert: "QueueBacklog",
        expr: "sum(queue_depth) > 1000",
        for: "15m",
        labels: labels("api", "P1", "saturation"),
      },
    ],
  },
];

/** The four multi-window pairs of one SLO: page 14.4x (1h, 5m) or 6x (6h, 30m); ticket 3x (1d, 2h) or 1x (3d, 6h). */
function burn(service: string, slo: string, bounds: { b14: string; b6: string; b3: string; b1: string }) {
  const m = `{service="${service}", slo="${slo}"}`;
  const pair = (long: string, short: string, bound: string) =>
    `(slo:sli_error:ratio_rate${long}${m} > ${bound} and slo:sli_error:ratio_rate${short}${m} > ${bound})`;
  return {
    page: `${pair("1h", "5m", bounds.b14)} or ${pair("6h", "30m", bounds.b6)}`,
    ticket: `${pair("1d", "2h", bounds.b3)} or ${pair("3d", "6h", bounds.b1)}`,
  };
}

const burnTable = [
  {
    name: "availability 99.9%: budget 0.001, bounds 0.0144 / 0.006 / 0.003 / 0.001",
    slo: { name: "availability", sli: "availability", objective: 99.9 },
    bounds: { b14: "0.0144", b6: "0.006", b3: "0.003", b1: "0.001" },
    ratio1h:
      '(sum by (service) (label_replace(rate(http_server_request_duration_seconds_count{job=~"web", http_response_status_code=~"5.."}[1h]), "service", "$1", "job", "(.*)")) or 0 * sum by (service) (label_replace(rate(http_server_request_duration_seconds_count{job=~"web"}[1h]), "service", "$1", "job", "(.*)"))) / sum by (service) (label_replace(rate(http_server_request_duration_seconds_count{job=~"web"}[1h]), "service", "$1", "job", "(.*)"))',
  },
  {
    name: "latency 95% within 500ms: budget 0.05, bounds 0.72 / 0.3 / 0.15 / 0.05",
    slo: { name: "latency", sli: "latency", objective: 95, threshold: "500ms" },
    bounds: { b14: "0.72", b6: "0.3", b3: "0.15", b1: "0.05" },
    ratio1h:
      '1 - (sum by (service) (label_replace(rate(http_server_request_duration_seconds_bucket{job=~"web", le=~"0\\\\.50*"}[1h]), "service", "$1", "job", "(.*)")) / sum by (service) (label_replace(rate(http_server_request_duration_seconds_count{job=~"web"}[1h]), "service", "$1", "job", "(.*)")))',
  },
  {
    name: "probe 99.5%: budget 0.005, bounds 0.072 / 0.03 / 0.015 / 0.005",
    slo: { name: "uptime", sli: "probe", objective: 99.5 },
    bounds: { b14: "0.072", b6: "0.03", b3: "0.015", b1: "0.005" },
    ratio1h:
      '1 - avg by (service) (label_replace(avg_over_time(probe_success{job=~"web-health"}[1h]), "service", "$1", "job", "(.*)-health"))',
  },
];

describe("alert families: expression, for and labels as literals", () => {
  for (const row of table) {
    it(row.name, () => {
      const rules = rulesOf(row.catalog);
      assert.deepEqual(
        row.expected.map((e) => alertOf(rules, e.id)),
        row.expected.map((e) => ({ ...e, labels: { alert: e.alert, ...e.labels } })),
      );
    });
  }
});

describe("SLO burn alerts: factors, windows and no for, as literals", () => {
  for (const row of burnTable) {
    it(row.name, () => {
      const rules = rulesOf(web({ health: { url: "https://web.example.com/health" }, slos: [row.slo] }));
      const { page, ticket } = burn("web", row.slo.name, row.bounds);
      const l = labels("web", "P0", "slo_burn", { slo: row.slo.name });
      assert.deepEqual(alertOf(rules, `web/slo/${row.slo.name}/page`), {
        id: `web/slo/${row.slo.name}/page`,
        alert: "SloErrorBudgetFastBurn",
        expr: page,
        for: "0s",
        labels: { alert: "SloErrorBudgetFastBurn", ...l },
      });
      assert.deepEqual(alertOf(rules, `web/slo/${row.slo.name}/ticket`), {
        id: `web/slo/${row.slo.name}/ticket`,
        alert: "SloErrorBudgetSlowBurn",
        expr: ticket,
        for: "0s",
        labels: { alert: "SloErrorBudgetSlowBurn", ...l, severity: "P2" },
      });
      const ratios = rules.filter(
        (r): r is RecordingRule => r.kind === "record" && r.labels.slo === row.slo.name && r.record.startsWith("slo:"),
      );
      assert.deepEqual(
        ratios.map((r) => r.record).filter((n) => n.startsWith("slo:sli_error:")),
        ["5m", "30m", "1h", "2h", "6h", "1d", "3d"].map((w) => `slo:sli_error:ratio_rate${w}`),
      );
      assert.equal(ratios.find((r) => r.record === "slo:sli_error:ratio_rate1h")?.expr, row.ratio1h);
    });
  }
});
