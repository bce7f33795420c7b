/**
 * Monthly budgets: month-to-date spend reaching each level of the budget, overall (summed over
 * billing sources) and per source. Spend is read as each source's last value within a day, so
 * a gauge pushed once a day keeps its alert firing until the next push.
 */
import type { BudgetLevel, Catalog } from "../catalog/model";
import { formatDuration, formatNumber, formatPercent } from "../catalog/units";
import {
  BUDGET_LEVEL_LABEL,
  BUDGET_SERVICE,
  COST_READ_WINDOW_MS,
  COST_SOURCE_LABEL,
  METRIC,
  PANEL,
  REC,
} from "../conventions";
import { alertRule, recordingRule } from "./alert";
import type { GenContext } from "./context";
import { crossesAtOnce, scrapeCollection } from "./detection";
import type { InputSeries, Rule } from "./model";
import { percentFraction } from "./synth";

/** Sum over sources of each source's last month-to-date spend within a day. */
export function spendExpr(source?: string): string {
  const matcher = source === undefined ? "" : `{${COST_SOURCE_LABEL}="${source}"}`;
  return `sum(max by (${COST_SOURCE_LABEL}) (last_over_time(${METRIC.costMonthToDate}${matcher}[${formatDuration(COST_READ_WINDOW_MS)}])))`;
}

/** `budget/alert_at` for the lowest level below 100%, `budget/exceeded` at 100%, else `budget/level/<percent>`. */
function levelId(prefix: string, level: BudgetLevel, lowest: boolean): string {
  if (level.at === 1) return `${prefix}/exceeded`;
  if (lowest && level.at < 1) return `${prefix}/alert_at`;
  return `${prefix}/level/${formatNumber(level.at * 100)}`;
}

interface BudgetScope {
  idPrefix: string;
  monthlyUsd: number;
  levels: BudgetLevel[];
  source?: string;
}

function levelRules(ctx: GenContext, catalog: Catalog, scope: BudgetScope): Rule[] {
  const { source, monthlyUsd } = scope;
  const what = source === undefined ? "all sources" : `source ${source}`;
  const sources = source === undefined ? ["vercel", "supabase"] : [source];
  // One push per source at 0s, then nothing for 6h: the alert must still hold at 6h.
  const spend = (usd: number): InputSeries[] =>
    sources.map((s) => ({
      series: `${METRIC.costMonthToDate}{${COST_SOURCE_LABEL}="${s}"}`,
      values: `${formatNumber(usd / sources.length)} _x360`,
    }));
  return scope.levels.map((level, i) => {
    const bound = monthlyUsd * level.at;
    const over = level.at >= 1;
    // "Reaches 80%" includes exactly $216 of $270 (270 x 80 / 100, one division of catalog numbers).
    const exact = percentFraction(formatPercent(level.at));
    const budgetName = `$${formatNumber(monthlyUsd)}${source === undefined ? "" : ` ${source}`} budget`;
    return alertRule(ctx, {
      id: levelId(scope.idPrefix, level, i === 0),
      alert: over ? "BudgetExceeded" : "BudgetThresholdReached",
      expr: `${spendExpr(source)} >= ${formatNumber(bound)}`,
      forMs: 0,
      service: BUDGET_SERVICE,
      team: catalog.defaultTeam,
      severity: level.severity,
      signal: "budget",
      summary:
        over && level.at === 1
          ? `Month-to-date spend exceeded the ${budgetName}`
          : `Month-to-date spend reached ${formatPercent(level.at)} of the ${budgetName}`,
      description: `Spend this month (${METRIC.costMonthToDate}, ${what}, last value within ${formatDuration(COST_READ_WINDOW_MS)}) is at or above $${formatNumber(bound)} (${formatPercent(level.at)} of $${formatNumber(monthlyUsd)}).`,
      runbook: "budget",
      dashboard: { key: "external-apis", panel: PANEL.spend },
      noData: "OK",
      threshold: formatPercent(level.at),
      detection: () => crossesAtOnce("spend steps to twice the level", scrapeCollection(ctx.profile), false),
      labels: source === undefined ? undefined : { [COST_SOURCE_LABEL]: source },
      test: {
        fire: spend(bound * 1.1),
        quiet: spend(bound * 0.9),
        ...(exact ? { atBound: { series: spend((monthlyUsd * exact.num) / exact.den), fires: true } } : {}),
        evalAfterMs: 6 * 3600_000,
        firesAtMs: 0,
        intervalMs: 60_000,
      },
    });
  });
}

/** Every level's spend line in USD for the dashboards: one series per level, labelled with it (`level="80%"`). */
function levelLines(
  idPrefix: string,
  record: string,
  monthlyUsd: number,
  levels: BudgetLevel[],
  labels: Record<string, string>,
): Rule[] {
  return levels.map((level) =>
    recordingRule(
      `${idPrefix}/rec/level/${formatNumber(level.at * 100)}`,
      record,
      `vector(${formatNumber(monthlyUsd * level.at)})`,
      { ...labels, [BUDGET_LEVEL_LABEL]: formatPercent(level.at) },
    ),
  );
}

export function budgetRules(ctx: GenContext, catalog: Catalog): Rule[] {
  const b = catalog.budget;
  if (!b) return [];
  const rules: Rule[] = [
    recordingRule("budget/rec/monthly", REC.budgetMonthly, `vector(${formatNumber(b.monthlyUsd)})`, {}),
    ...levelLines("budget", REC.budgetAlertAt, b.monthlyUsd, b.levels, {}),
    ...levelRules(ctx, catalog, { idPrefix: "budget", monthlyUsd: b.monthlyUsd, levels: b.levels }),
  ];
  for (const s of b.sources) {
    const labels = { [COST_SOURCE_LABEL]: s.source };
    rules.push(
      recordingRule(
        `budget/source/${s.source}/rec/monthly`,
        REC.sourceBudgetMonthly,
        `vector(${formatNumber(s.monthlyUsd)})`,
        labels,
      ),
      ...levelLines(`budget/source/${s.source}`, REC.sourceBudgetAlertAt, s.monthlyUsd, s.levels, labels),
      ...levelRules(ctx, catalog, {
        idPrefix: `budget/source/${s.source}`,
        monthlyUsd: s.monthlyUsd,
        levels: s.levels,
        source: s.source,
      }),
    );
  }
  return rules;
}
