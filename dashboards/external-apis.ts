/** External APIs & cost: quota use against quota and alert line, failure rate, month-to-date spend against budget. */
import { API_LABEL, COST_SOURCE_LABEL, METRIC, OUTCOME, OUTCOME_LABEL, PANEL, REC } from "../conventions";
import type { DashboardSpec } from "./frame";
import { statPanel, timeseriesPanel } from "./panels";
import { eq, RATE_INTERVAL, series } from "./queries";

const API_LEGEND = `{{${API_LABEL}}}`;

function apiRequestRate(...matchers: string[]): string {
  return `sum by (${API_LABEL}) (rate(${series(METRIC.externalApiRequests, ...matchers)}[${RATE_INTERVAL}]))`;
}

export function externalApisDashboard(): DashboardSpec {
  return {
    key: "external-apis",
    description: "Paid third-party APIs and spend: quota used in the current period against quota and alert line, failure rate, month-to-date spend against the monthly budget.",
    panels: [
      timeseriesPanel({
        id: 1, title: PANEL.quotaUsed, description: "Calls made in the current quota period; dashed: the quota and the alert line.", w: 12, h: 9, unit: "short",
        queries: [
          { expr: `sum by (${API_LABEL}) (${METRIC.quotaUsed})`, legend: `${API_LEGEND} used` },
          { expr: REC.quotaLimit, legend: `${API_LEGEND} quota`, line: true },
          { expr: REC.quotaAlertAt, legend: `${API_LEGEND} alert at`, line: true },
        ],
      }),
      statPanel({
        id: 2, title: "Quota used of alert line", description: "Calls made in the period over the alert line (100%: the quota alert fires).", w: 12, h: 9, unit: "percentunit",
        queries: [{ expr: `sum by (${API_LABEL}) (${METRIC.quotaUsed}) / on (${API_LABEL}) ${REC.quotaAlertAt}`, legend: API_LEGEND }],
        steps: ["green", [0.75, "orange"], [1, "red"]], min: 0,
      }),
      timeseriesPanel({
        id: 3, title: PANEL.apiFailureRate, description: "Share of calls to each API that failed.", w: 12, h: 8, unit: "percentunit",
        queries: [{ expr: `${apiRequestRate(eq(OUTCOME_LABEL, OUTCOME.failure))} / ${apiRequestRate()}`, legend: API_LEGEND }],
      }),
      timeseriesPanel({
        id: 4, title: "API call rate", description: "Calls per second to each API by outcome.", w: 12, h: 8, unit: "reqps", stacked: true,
        queries: [{ expr: `sum by (${API_LABEL}, ${OUTCOME_LABEL}) (rate(${METRIC.externalApiRequests}[${RATE_INTERVAL}]))`, legend: `${API_LEGEND} {{${OUTCOME_LABEL}}}` }],
      }),
      timeseriesPanel({
        id: 5, title: PANEL.spend, description: "Spend this month across all sources; dashed: the monthly budget and its alert line.", w: 12, h: 8, unit: "currencyUSD",
        queries: [
          { expr: `sum(${METRIC.costMonthToDate})`, legend: "spent" },
          { expr: REC.budgetMonthly, legend: "budget", line: true },
          { expr: REC.budgetAlertAt, legend: "alert at", line: true },
        ],
      }),
      timeseriesPanel({
        id: 6, title: "Spend by source", description: "Month-to-date spend per billing source.", w: 12, h: 8, unit: "currencyUSD", stacked: true,
        queries: [{ expr: `sum by (${COST_SOURCE_LABEL}) (${METRIC.costMonthToDate})`, legend: `{{${COST_SOURCE_LABEL}}}` }],
      }),
    ],
  };
}
