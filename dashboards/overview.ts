/** Overview: every service's status at a glance, the alerts firing now, and spend. */
import { formatDuration } from "../catalog/units";
import {
  ALERT_NAME_LABEL,
  COST_READ_WINDOW_MS,
  COST_SOURCE_LABEL,
  ALERT_STATE_FIRING,
  ALERT_STATE_LABEL,
  dashboardUid,
  LABEL,
  LATENCY_QUANTILES,
  METRIC,
  QUANTILE_LABEL,
  REC,
  SLO_BUDGET_REMAINING_RECORD,
  WATCHDOG_ALERT,
} from "../conventions";
import type { DashboardSpec } from "./frame";
import { statPanel, tablePanel } from "./panels";
import { byProbedService, eq, probes, SERVICE_VAR, series } from "./queries";

const ALL_SERVICES = ".+";
const FIRING = series(
  METRIC.alerts,
  eq(ALERT_STATE_LABEL, ALERT_STATE_FIRING),
  `${ALERT_NAME_LABEL}!="${WATCHDOG_ALERT}"`,
);
const PROBE_UP = `min by (${LABEL.service}) (${byProbedService(probes(METRIC.probeSuccess, ALL_SERVICES))})`;

/** The overview of `system`; its service rows link to the service dashboard. */
export function overviewDashboard(system: string): DashboardSpec {
  return {
    key: "overview",
    description:
      "Every service's status (health check, error rate, p95, SLO budget), the alerts firing now, and month-to-date spend.",
    panels: [
      statPanel({
        id: 1,
        title: "Alerts firing",
        description: "Alerts firing now (the Watchdog excluded).",
        w: 6,
        h: 4,
        unit: "short",
        queries: [{ expr: `count(${FIRING}) or vector(0)`, legend: "firing" }],
        steps: ["green", [1, "red"]],
      }),
      statPanel({
        id: 2,
        title: "Health checks failing",
        description: "Services whose health check fails from at least one location.",
        w: 6,
        h: 4,
        unit: "short",
        queries: [{ expr: `count(${PROBE_UP} == 0) or vector(0)`, legend: "failing" }],
        steps: ["green", [1, "red"]],
      }),
      statPanel({
        id: 3,
        title: "SLOs out of budget",
        description: "SLOs whose error budget over the window is spent.",
        w: 6,
        h: 4,
        unit: "short",
        queries: [{ expr: `count(${SLO_BUDGET_REMAINING_RECORD} <= 0) or vector(0)`, legend: "exhausted" }],
        steps: ["green", [1, "red"]],
      }),
      statPanel({
        id: 4,
        title: "Spend of monthly budget",
        description: "Month-to-date spend over the monthly budget.",
        w: 6,
        h: 4,
        unit: "percentunit",
        queries: [
          {
            expr: `sum(max by (${COST_SOURCE_LABEL}) (last_over_time(${METRIC.costMonthToDate}[${formatDuration(COST_READ_WINDOW_MS)}]))) / scalar(${REC.budgetMonthly})`,
            legend: "spent",
          },
        ],
        steps: ["green", [0.8, "orange"], [1, "red"]],
      }),
      tablePanel({
        id: 5,
        title: "Service status",
        description: "One row per service; click a service for its RED dashboard.",
        w: 24,
        h: 10,
        rows: [LABEL.service],
        columns: [
          { header: "Health check", expr: PROBE_UP, unit: "percentunit", steps: ["red", [1, "green"]] },
          { header: "Requests", expr: REC.requestRate, unit: "reqps" },
          {
            header: "Error rate",
            expr: REC.errorRatio,
            unit: "percentunit",
            steps: ["green", [0.01, "orange"], [0.05, "red"]],
          },
          { header: "p95", expr: series(REC.latency, eq(QUANTILE_LABEL, LATENCY_QUANTILES.p95)), unit: "s" },
          {
            header: "SLO budget remaining",
            expr: `min by (${LABEL.service}) (${SLO_BUDGET_REMAINING_RECORD})`,
            unit: "percentunit",
            steps: ["red", [0, "orange"], [0.25, "green"]],
          },
        ],
        links: [
          {
            column: LABEL.service,
            title: "Service dashboard",
            url: `/d/${dashboardUid(system, "service")}?var-${SERVICE_VAR}=\${__value.raw}&\${__url_time_range}`,
          },
        ],
      }),
      tablePanel({
        id: 6,
        title: "Alerts firing now",
        description: "Every firing alert with its routing labels (the Watchdog excluded).",
        w: 24,
        h: 8,
        rows: [ALERT_NAME_LABEL, LABEL.service, LABEL.severity, LABEL.signal, LABEL.team],
        columns: [{ header: "Firing", expr: FIRING, unit: "short" }],
        hide: ["Value"],
      }),
    ],
  };
}
