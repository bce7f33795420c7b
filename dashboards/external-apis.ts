/** External APIs & cost: quota use against quota and alert line, failure rate, month-to-date spend against budget. */
import { formatDuration } from "../catalog/units";
import {
  API_LABEL,
  BUDGET_LEVEL_LABEL,
  COST_READ_WINDOW_MS,
  COST_SOURCE_LABEL,
  METRIC,
  OUTCOME,
  OUTCOME_LABEL,
  PANEL,
  RATE_LIMIT_LABEL,
  REC,
  RESOURCE_LABEL,
  USAGE_READ_WINDOW_MS,
} from "../conventions";
import type { DashboardSpec } from "./frame";
import { statPanel, timeseriesPanel } from "./panels";
import { eq, RATE_INTERVAL, series } from "./queries";

const API_LEGEND = `{{${API_LABEL}}}`;
/** Month-to-date spend per source as the budget alerts read it: the last value within a day. */
const SPEND_BY_SOURCE = `max by (${COST_SOURCE_LABEL}) (last_over_time(${METRIC.costMonthToDate}[${formatDuration(COST_READ_WINDOW_MS)}]))`;
const USAGE = `max by (${API_LABEL}, ${RESOURCE_LABEL}) (last_over_time(${METRIC.usageBytes}[${formatDuration(USAGE_READ_WINDOW_MS)}]))`;

function apiRequestRate(...matchers: string[]): string {
  return `sum by (${API_LABEL}) (rate(${series(METRIC.externalApiRequests, ...matchers)}[${RATE_INTERVAL}]))`;
}

export function externalApisDashboard(): DashboardSpec {
  return {
    key: "external-apis",
    description:
      "Paid third-party APIs and spend: quota used in the current period against quota and alert line, failure rate, rate limits, size quotas, month-to-date spend against the monthly budget and per-source budgets.",
    panels: [
      timeseriesPanel({
        id: 1,
        title: PANEL.quotaUsed,
        description:
          "Calls made in the current quota period (the gauge's last value within the period, as the alert reads it); dashed: the quota and the alert line.",
        w: 12,
        h: 9,
        unit: "short",
        queries: [
          { expr: REC.quotaUsed, legend: `${API_LEGEND} used` },
          { expr: REC.quotaLimit, legend: `${API_LEGEND} quota`, line: true },
          { expr: REC.quotaAlertAt, legend: `${API_LEGEND} alert at`, line: true },
        ],
      }),
      statPanel({
        id: 2,
        title: "Quota used of alert line",
        description: "Calls made in the period over the alert line (100%: the quota alert fires).",
        w: 12,
        h: 9,
        unit: "percentunit",
        queries: [
          {
            expr: `${REC.quotaUsed} / on (${API_LABEL}) ${REC.quotaAlertAt}`,
            legend: API_LEGEND,
          },
        ],
        steps: ["green", [0.75, "orange"], [1, "red"]],
        min: 0,
      }),
      timeseriesPanel({
        id: 3,
        title: PANEL.apiFailureRate,
        description: "Share of calls to each API that failed.",
        w: 12,
        h: 8,
        unit: "percentunit",
        queries: [
          { expr: `${apiRequestRate(eq(OUTCOME_LABEL, OUTCOME.failure))} / ${apiRequestRate()}`, legend: API_LEGEND },
        ],
      }),
      timeseriesPanel({
        id: 4,
        title: "API call rate",
        description: "Calls per second to each API by outcome.",
        w: 12,
        h: 8,
        unit: "reqps",
        stacked: true,
        queries: [
          {
            expr: `sum by (${API_LABEL}, ${OUTCOME_LABEL}) (rate(${METRIC.externalApiRequests}[${RATE_INTERVAL}]))`,
            legend: `${API_LEGEND} {{${OUTCOME_LABEL}}}`,
          },
        ],
      }),
      timeseriesPanel({
        id: 5,
        title: PANEL.spend,
        description: "Spend this month across all sources; dashed: the monthly budget and each alert level.",
        w: 12,
        h: 8,
        unit: "currencyUSD",
        queries: [
          { expr: `sum(${SPEND_BY_SOURCE})`, legend: "spent" },
          { expr: REC.budgetMonthly, legend: "budget", line: true },
          { expr: REC.budgetAlertAt, legend: `alert at {{${BUDGET_LEVEL_LABEL}}}`, line: true },
        ],
      }),
      timeseriesPanel({
        id: 6,
        title: "Spend by source",
        description: "Month-to-date spend per billing source.",
        w: 12,
        h: 8,
        unit: "currencyUSD",
        stacked: true,
        queries: [{ expr: SPEND_BY_SOURCE, legend: `{{${COST_SOURCE_LABEL}}}` }],
      }),
      timeseriesPanel({
        id: 7,
        title: "Spend by source vs its budget",
        description:
          "Sources with their own budget: month-to-date spend over that budget (1 = 100%); dashed: each alert level.",
        w: 12,
        h: 8,
        unit: "percentunit",
        queries: [
          {
            expr: `${SPEND_BY_SOURCE} / on (${COST_SOURCE_LABEL}) ${REC.sourceBudgetMonthly}`,
            legend: `{{${COST_SOURCE_LABEL}}}`,
          },
          {
            expr: `${REC.sourceBudgetAlertAt} / on (${COST_SOURCE_LABEL}) group_left ${REC.sourceBudgetMonthly}`,
            legend: `{{${COST_SOURCE_LABEL}}} alert at {{${BUDGET_LEVEL_LABEL}}}`,
            line: true,
          },
        ],
      }),
      timeseriesPanel({
        id: 8,
        title: PANEL.rateLimitUsed,
        description: "Call rate over each rate limit (1 = at the limit); dashed: the alert line.",
        w: 12,
        h: 8,
        unit: "percentunit",
        queries: [
          {
            expr: `1 / (${REC.rateLimit} / on (${API_LABEL}) group_left sum by (${API_LABEL}) (rate(${METRIC.externalApiRequests}[${RATE_INTERVAL}])))`,
            legend: `${API_LEGEND} per {{${RATE_LIMIT_LABEL}}}`,
          },
          {
            expr: `${REC.rateLimitAlertAt} / ${REC.rateLimit}`,
            legend: `${API_LEGEND} per {{${RATE_LIMIT_LABEL}}} alert at`,
            line: true,
          },
        ],
      }),
      timeseriesPanel({
        id: 9,
        title: PANEL.sizeUsed,
        description:
          "Bytes used of each size quota (database, storage, month-to-date bandwidth); dashed: the alert line.",
        w: 12,
        h: 8,
        unit: "percentunit",
        queries: [
          {
            expr: `(${USAGE} or ${REC.sizeUsed}) / on (${API_LABEL}, ${RESOURCE_LABEL}) ${REC.sizeLimit}`,
            legend: `${API_LEGEND} {{${RESOURCE_LABEL}}}`,
          },
          {
            expr: `${REC.sizeAlertAt} / ${REC.sizeLimit}`,
            legend: `${API_LEGEND} {{${RESOURCE_LABEL}}} alert at`,
            line: true,
          },
        ],
      }),
    ],
  };
}
