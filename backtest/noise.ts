/**
 * The noise budget: pages per week of each severity with `alerting.objectives.<severity>.pages_per_week`,
 * over the backtested range, head vs base. A page is a firing episode of an alert (escalated
 * copies are the same incident told to more people and not counted again). The PR check fails
 * when the head exceeds a budget the base kept.
 */
import type { Objective } from "../catalog/model";
import { LABEL } from "../conventions";
import type { AlertResult, BacktestResult, Side } from "./run";

const WEEK_S = 7 * 24 * 3600;

export interface SidePages {
  pages: number;
  per_week: number;
  /** Alerts that paged, most pages first. */
  alerts: Array<{ alert: string; service: string; pages: number }>;
}

export interface NoiseBudget {
  severity: string;
  pages_per_week: number;
  head: SidePages;
  /** Absent without `--base`. */
  base?: SidePages;
  /** `fail`: the head exceeds the budget, the base kept it; `exceeded`: the head exceeds it (and so did the base, or there is no base). */
  verdict: "within" | "fail" | "exceeded";
}

function sidePages(
  r: BacktestResult,
  alerts: AlertResult[],
  side: (a: AlertResult) => Side | null | undefined,
): SidePages {
  const rangeS = (Date.parse(r.to) - Date.parse(r.from)) / 1000;
  const paged = alerts
    .map((a) => ({ alert: a.alert, service: a.labels[LABEL.service], pages: side(a)?.episodes.length ?? 0 }))
    .filter((a) => a.pages > 0)
    .sort((x, y) => y.pages - x.pages || x.service.localeCompare(y.service) || x.alert.localeCompare(y.alert));
  const pages = paged.reduce((n, a) => n + a.pages, 0);
  return { pages, per_week: Number(((pages * WEEK_S) / rangeS).toFixed(2)), alerts: paged };
}

export function noiseBudgets(r: BacktestResult, objectives: Objective[]): NoiseBudget[] {
  const withBase = r.alerts.some((a) => a.base !== undefined);
  return objectives
    .filter((o) => o.pagesPerWeek !== undefined)
    .map((o) => {
      const alerts = r.alerts.filter((a) => a.labels[LABEL.severity] === o.severity && !a.labels[LABEL.escalation]);
      const head = sidePages(r, alerts, (a) => a.head);
      const base = withBase ? sidePages(r, alerts, (a) => a.base) : undefined;
      const over = (s: SidePages) => s.per_week > o.pagesPerWeek!;
      const verdict = !over(head) ? "within" : base && !over(base) ? "fail" : "exceeded";
      return { severity: o.severity, pages_per_week: o.pagesPerWeek!, head, ...(base ? { base } : {}), verdict };
    });
}

const list = (s: SidePages) =>
  s.alerts
    .slice(0, 5)
    .map((a) => `${a.service} ${a.alert} ×${a.pages}`)
    .join(", ") + (s.alerts.length > 5 ? `, … ${s.alerts.length - 5} more` : "");

/** One line per budget: `P0 pages/week 1 → 3.5, budget 2: FAIL (head exceeds it, base kept it): web ErrorRateHigh ×3`. */
export function noiseLines(budgets: NoiseBudget[]): string[] {
  return budgets.map((b) => {
    const figures = b.base ? `${b.base.per_week} → ${b.head.per_week}` : String(b.head.per_week);
    const why =
      b.verdict === "fail"
        ? "FAIL (the head exceeds it, the base kept it)"
        : b.verdict === "exceeded"
          ? b.base
            ? "exceeded by base and head alike (not this change's doing)"
            : "exceeded"
          : "within";
    return `${b.severity} pages/week ${figures}, budget ${b.pages_per_week}: ${why}${b.head.alerts.length && b.verdict !== "within" ? `: ${list(b.head)}` : ""}`;
  });
}
