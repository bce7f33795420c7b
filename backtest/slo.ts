/**
 * `backtest --slo`: per SLO and calendar month of [from, to], the achieved objective and the
 * error budget left, from the SLO's own 5m error-ratio recording rule expanded inline (so a
 * catalog whose rules never ran is judged on raw history), averaged over the part of the month
 * in range as `slo:error_budget:remaining_ratio` averages it over the SLO window.
 */
import type { RuleGroup } from "../alerts/model";
import { RecordingRules } from "../alerts/inline-recording";
import type { Catalog } from "../catalog/model";
import { formatDuration, formatPercent } from "../catalog/units";
import { LABEL, sloErrorRatioRecord } from "../conventions";
import type { PrometheusClient } from "./prometheus";
import { formatInstant } from "./time";

export interface SloMonth {
  service: string;
  slo: string;
  objective: number;
  /** `2026-11`. */
  month: string;
  from: string;
  to: string;
  /** 1 − the average error ratio; null when the SLI has no data in that part of the month. */
  achieved: number | null;
  /** Share of the month's error budget (1 − objective) not spent; negative when overspent. */
  error_budget_left: number | null;
}

export interface SloReport {
  from: string;
  to: string;
  slos: SloMonth[];
}

/** [start, end) of each calendar month (UTC) meeting [fromMs, toMs], clipped to it. */
export function calendarMonths(fromMs: number, toMs: number): Array<{ month: string; startMs: number; endMs: number }> {
  const out: Array<{ month: string; startMs: number; endMs: number }> = [];
  let start = fromMs;
  while (start < toMs) {
    const d = new Date(start);
    const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    const end = Math.min(next, toMs);
    out.push({ month: new Date(start).toISOString().slice(0, 7), startMs: start, endMs: end });
    start = end;
  }
  return out;
}

const round = (v: number) => Number(v.toPrecision(6));

export async function sloCompliance(
  client: PrometheusClient,
  catalog: Catalog,
  groups: RuleGroup[],
  fromMs: number,
  toMs: number,
): Promise<SloReport> {
  const records = new RecordingRules(groups);
  const jobs = catalog.services.flatMap((svc) =>
    svc.slos.flatMap((slo) =>
      calendarMonths(fromMs, toMs).map(async ({ month, startMs, endMs }) => {
        const selector = `${sloErrorRatioRecord("5m")}{${LABEL.service}="${svc.name}", ${LABEL.slo}="${slo.name}"}`;
        const expr = records.expand(`avg_over_time(${selector}[${formatDuration(endMs - startMs)}])`);
        const [result] = await client.query(expr, endMs);
        const ratio = result && Number.isFinite(result.value) ? result.value : undefined;
        const budget = 1 - slo.objective;
        return {
          service: svc.name,
          slo: slo.name,
          objective: slo.objective,
          month,
          from: formatInstant(startMs),
          to: formatInstant(endMs),
          achieved: ratio === undefined ? null : round(1 - ratio),
          error_budget_left: ratio === undefined ? null : round(1 - ratio / budget),
        };
      }),
    ),
  );
  return { from: formatInstant(fromMs), to: formatInstant(toMs), slos: await Promise.all(jobs) };
}

const pct = (v: number | null) => (v === null ? "no data" : formatPercent(round(v)));

function rows(r: SloReport): string[][] {
  return r.slos.map((s) => [
    s.service,
    s.slo,
    formatPercent(s.objective),
    s.month,
    `${s.from} → ${s.to}`,
    pct(s.achieved),
    pct(s.error_budget_left),
    s.achieved === null ? "" : s.achieved >= s.objective ? "met" : "MISSED",
  ]);
}

const HEADER = ["service", "slo", "objective", "month", "range", "achieved", "budget left", ""];

export function renderSloText(r: SloReport): string {
  const table = [HEADER, ...rows(r)];
  const width = HEADER.map((_, i) => Math.max(...table.map((row) => row[i].length)));
  return (
    [
      `SLO compliance ${r.from} → ${r.to}, per calendar month (UTC)`,
      ...table.map((row) =>
        row
          .map((c, i) => c.padEnd(width[i]))
          .join("  ")
          .trimEnd(),
      ),
    ].join("\n") + "\n"
  );
}

export function renderSloMarkdown(r: SloReport): string {
  return [
    `### SLO compliance ${r.from} → ${r.to}`,
    "",
    "Per calendar month (UTC): achieved = 1 − the SLO's 5m error ratio averaged over the month's part in range; budget left = share of (1 − objective) not spent.",
    "",
    `| ${HEADER.slice(0, -1).join(" | ")} | verdict |`,
    `|${HEADER.map(() => "---").join("|")}|`,
    ...rows(r).map((row) => `| ${row.join(" | ")} |`),
    "",
  ].join("\n");
}
