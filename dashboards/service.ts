/** Service (RED): rate, errors and duration of the one service chosen in `$service`, with its alert thresholds. */
import {
  CUSTOM_RULE_LABEL,
  LATENCY_QUANTILES,
  LABEL,
  METRIC,
  PANEL,
  probeSelector,
  QUANTILE_LABEL,
  REC,
  SLO_BUDGET_REMAINING_RECORD,
} from "../conventions";
import type { DashboardSpec } from "./frame";
import { statPanel, timeseriesPanel } from "./panels";
import { latencyQuantile, ofServices, SERVICE_VAR, series, thresholdLines } from "./queries";

const THRESHOLD_LEGEND = `{{${LABEL.severity}}} threshold`;

export function serviceDashboard(): DashboardSpec {
  return {
    key: "service",
    description:
      "Requests, errors and duration (RED) of one service, with the catalog's alert thresholds as dashed lines.",
    service: { query: REC.requestRate, multi: false },
    panels: [
      statPanel({
        id: 1,
        title: "Requests now",
        description: "Requests (operations) per second over the last 5m.",
        w: 6,
        h: 4,
        unit: "reqps",
        queries: [{ expr: `sum(${ofServices(REC.requestRate)})`, legend: "requests/s" }],
        steps: ["blue"],
      }),
      statPanel({
        id: 2,
        title: "Errors now",
        description: "Share of failing requests over the last 5m.",
        w: 6,
        h: 4,
        unit: "percentunit",
        queries: [{ expr: `max(${ofServices(REC.errorRatio)})`, legend: "errors" }],
        steps: ["green", [0.01, "orange"], [0.05, "red"]],
      }),
      statPanel({
        id: 3,
        title: "p95 now",
        description: "95th percentile duration over the last 5m.",
        w: 6,
        h: 4,
        unit: "s",
        queries: [{ expr: `max(${latencyQuantile(LATENCY_QUANTILES.p95)})`, legend: "p95" }],
        steps: ["green"],
      }),
      statPanel({
        id: 4,
        title: "Health check",
        description: "Share of synthetic probe locations seeing the health endpoint up (empty: no check).",
        w: 6,
        h: 4,
        unit: "percentunit",
        queries: [{ expr: `avg(${series(METRIC.probeSuccess, probeSelector(`$${SERVICE_VAR}`))})`, legend: "up" }],
        steps: ["red", [0.5, "orange"], [1, "green"]],
        min: 0,
        max: 1,
      }),
      timeseriesPanel({
        id: 5,
        title: PANEL.requestRate,
        description: "Requests (operations) per second.",
        w: 12,
        h: 8,
        unit: "reqps",
        queries: [{ expr: ofServices(REC.requestRate), legend: `{{${LABEL.service}}}` }],
      }),
      timeseriesPanel({
        id: 6,
        title: PANEL.errorRate,
        description: "Share of failing requests; dashed: alert thresholds per severity.",
        w: 12,
        h: 8,
        unit: "percentunit",
        queries: [
          { expr: ofServices(REC.errorRatio), legend: "error ratio" },
          { expr: thresholdLines("error_rate"), legend: THRESHOLD_LEGEND, line: true },
        ],
      }),
      timeseriesPanel({
        id: 7,
        title: PANEL.latency,
        description: "Duration percentiles; dashed: latency alert thresholds per severity and quantile.",
        w: 24,
        h: 9,
        unit: "s",
        queries: [
          ...Object.entries(LATENCY_QUANTILES).map(([name, q]) => ({ expr: latencyQuantile(q), legend: name })),
          { expr: thresholdLines("latency"), legend: `${THRESHOLD_LEGEND} (q{{${QUANTILE_LABEL}}})`, line: true },
        ],
      }),
      statPanel({
        id: 8,
        title: "SLO error budget left",
        description: "Error budget remaining over each SLO's window (empty: the service has no SLO).",
        w: 24,
        h: 4,
        unit: "percentunit",
        queries: [{ expr: ofServices(SLO_BUDGET_REMAINING_RECORD), legend: `{{${LABEL.slo}}}` }],
        steps: ["red", [0, "orange"], [0.25, "green"]],
      }),
      timeseriesPanel({
        id: 9,
        title: PANEL.customRules,
        description:
          "The expression of each hand-written alert of the service (catalog `rules:` and rule files): a line while the alert's condition holds (empty: none holds, or the service has none).",
        w: 24,
        h: 8,
        unit: "short",
        queries: [{ expr: ofServices(REC.customRule), legend: `{{${CUSTOM_RULE_LABEL}}}` }],
      }),
    ],
  };
}
