/** Monthly budget: month-to-date spend reaching `alert_at`, and exceeding the budget. */
import type { Catalog } from "../catalog/model";
import { formatNumber, formatPercent } from "../catalog/units";
import { BUDGET_SERVICE, METRIC, PANEL, REC } from "../conventions";
import { alertRule, recordingRule } from "./alert";
import type { GenContext } from "./context";
import type { InputSeries, Rule } from "./model";
import { gauge } from "./synth";

export function budgetRules(ctx: GenContext, catalog: Catalog): Rule[] {
  const b = catalog.budget;
  if (!b) return [];
  const alertAt = b.monthlyUsd * b.alertAt;
  const spend = (usd: number): InputSeries[] => [
    { series: `${METRIC.costMonthToDate}{source="vercel"}`, values: gauge(usd / 2, 20) },
    { series: `${METRIC.costMonthToDate}{source="supabase"}`, values: gauge(usd / 2, 20) },
  ];
  const common = {
    service: BUDGET_SERVICE,
    team: catalog.defaultTeam,
    signal: "budget" as const,
    runbook: "budget" as const,
    dashboard: { key: "external-apis" as const, panel: PANEL.spend },
    noData: "OK" as const,
    forMs: 0,
  };
  const test = (bound: number) => ({ fire: spend(bound * 1.1), quiet: spend(bound * 0.5), evalAfterMs: 5 * 60_000, intervalMs: 60_000 });
  const rules: Rule[] = [
    recordingRule("budget/rec/monthly", REC.budgetMonthly, `vector(${formatNumber(b.monthlyUsd)})`, {}),
    recordingRule("budget/rec/alert_at", REC.budgetAlertAt, `vector(${formatNumber(alertAt)})`, {}),
    alertRule(ctx, {
      ...common,
      id: "budget/alert_at",
      alert: "BudgetThresholdReached",
      expr: `sum(${METRIC.costMonthToDate}) >= ${formatNumber(alertAt)}`,
      severity: b.severity,
      summary: `Month-to-date spend reached ${formatPercent(b.alertAt)} of the $${formatNumber(b.monthlyUsd)} budget`,
      description: `Spend this month (${METRIC.costMonthToDate}, all sources) is at or above $${formatNumber(alertAt)}.`,
      threshold: formatPercent(b.alertAt),
      test: test(alertAt),
    }),
  ];
  if (b.alertAt < 1) {
    rules.push(
      alertRule(ctx, {
        ...common,
        id: "budget/exceeded",
        alert: "BudgetExceeded",
        expr: `sum(${METRIC.costMonthToDate}) >= ${formatNumber(b.monthlyUsd)}`,
        severity: b.severity === "P2" || b.severity === "P3" ? "P1" : b.severity,
        summary: `Month-to-date spend exceeded the $${formatNumber(b.monthlyUsd)} budget`,
        description: `Spend this month (${METRIC.costMonthToDate}, all sources) is over the monthly budget of $${formatNumber(b.monthlyUsd)}.`,
        threshold: "100%",
        test: test(b.monthlyUsd),
      }),
    );
  }
  return rules;
}
