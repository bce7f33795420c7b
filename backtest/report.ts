/** A backtest result as people read it: a table per service and a one-line verdict, in plain text or GitHub markdown. */
import type { AlertResult, BacktestResult, Side } from "./run";
import { noiseLines } from "./noise";
import { CONTRACT_LABELS, gantt } from "./gantt";

const WEEK_S = 7 * 24 * 3600;
const PAGING = new Set(["P0", "P1"]);
const TIMELINE_CELLS = 56;

const episodes = (s: Side | null | undefined) => s?.episodes.length ?? 0;
const pages = (a: AlertResult, s: Side | null | undefined) => (PAGING.has(a.labels.severity) ? episodes(s) : 0);

function duration(seconds: number): string {
  if (seconds === 0) return "0";
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return [d ? `${d}d` : "", h ? `${h}h` : "", m || (!d && !h) ? `${m}m` : ""].join("");
}

/** `head` alone, or `base → head` when they differ; `new` / `removed` for an alert one side lacks. */
function compare(a: AlertResult, show: (s: Side) => string): string {
  if (a.base === undefined) return a.head ? show(a.head) : "";
  if (a.head === null) return `${show(a.base!)} → removed`;
  if (a.base === null) return `new → ${show(a.head)}`;
  const [b, h] = [show(a.base), show(a.head)];
  return b === h ? h : `${b} → ${h}`;
}

function perWeek(count: number, rangeSeconds: number): string {
  const v = (count * WEEK_S) / rangeSeconds;
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

export function changed(a: AlertResult): boolean {
  return a.base !== undefined && JSON.stringify(a.base) !== JSON.stringify(a.head);
}

/** "2 alerts page more often, 1 reads series that do not exist". */
export function verdict(r: BacktestResult): string {
  const count = (n: number, one: string, many: string) => (n ? [`${n} ${n === 1 ? one : many}`] : []);
  const parts: string[] = [];
  const withBase = r.alerts.some((a) => a.base !== undefined);
  if (withBase) {
    const both = r.alerts.filter((a) => a.head && a.base);
    const paging = both.filter((a) => PAGING.has(a.labels.severity));
    const quiet = both.filter((a) => !PAGING.has(a.labels.severity));
    parts.push(
      ...count(
        paging.filter((a) => episodes(a.head) > episodes(a.base)).length,
        "alert pages more often",
        "alerts page more often",
      ),
      ...count(
        paging.filter((a) => episodes(a.head) < episodes(a.base)).length,
        "alert pages less often",
        "alerts page less often",
      ),
      ...count(
        quiet.filter((a) => episodes(a.head) > episodes(a.base)).length,
        "alert fires more often",
        "alerts fire more often",
      ),
      ...count(
        quiet.filter((a) => episodes(a.head) < episodes(a.base)).length,
        "alert fires less often",
        "alerts fire less often",
      ),
      ...count(
        both.filter((a) => changed(a) && episodes(a.head) === episodes(a.base)).length,
        "alert fires at other times",
        "alerts fire at other times",
      ),
      ...count(r.alerts.filter((a) => a.base === null).length, "alert is new", "alerts are new"),
      ...count(r.alerts.filter((a) => a.head === null).length, "alert is removed", "alerts are removed"),
    );
  } else {
    const fired = r.alerts.filter((a) => episodes(a.head) > 0);
    const pageCount = r.alerts.reduce((n, a) => n + pages(a, a.head), 0);
    parts.push(
      `${fired.length} of ${r.alerts.length} alerts fired`,
      `${pageCount} ${pageCount === 1 ? "page" : "pages"}`,
    );
  }
  parts.push(
    ...count(
      r.alerts.filter((a) => a.missing_series.length).length,
      "alert reads series that do not exist",
      "alerts read series that do not exist",
    ),
  );
  parts.push(...count(r.dashboards?.length ?? 0, "dashboard panel stays empty", "dashboard panels stay empty"));
  if (!parts.length) return "no alert fires differently; every series exists";
  return parts.join(", ");
}

/** `{slo="uptime"}`: the rule's labels beyond the alert contract, telling apart alerts of one name. */
function extraLabels(a: AlertResult): string {
  const extra = Object.entries(a.labels).filter(([k]) => !CONTRACT_LABELS.has(k));
  return extra.length ? `{${extra.map(([k, v]) => `${k}="${v}"`).join(", ")}}` : "";
}

interface Row {
  alert: string;
  severity: string;
  episodes: string;
  firing: string;
  pages: string;
  missing: string;
}

function rows(r: BacktestResult, alerts: AlertResult[]): Row[] {
  const range = (Date.parse(r.to) - Date.parse(r.from)) / 1000;
  return alerts.map((a) => ({
    alert: a.alert + extraLabels(a),
    severity: a.labels.severity,
    episodes: compare(a, (s) => String(s.episodes.length)),
    firing: compare(a, (s) => duration(s.firing_seconds)),
    pages: PAGING.has(a.labels.severity) ? compare(a, (s) => perWeek(s.episodes.length, range)) : "",
    missing: a.missing_series.join(" "),
  }));
}

const HEADERS: Row = {
  alert: "alert",
  severity: "severity",
  episodes: "episodes",
  firing: "firing",
  pages: "pages/week",
  missing: "missing series",
};
const COLUMNS = Object.keys(HEADERS) as Array<keyof Row>;

function byService(r: BacktestResult): Map<string, AlertResult[]> {
  const out = new Map<string, AlertResult[]>();
  for (const a of r.alerts) out.set(a.labels.service, [...(out.get(a.labels.service) ?? []), a]);
  return out;
}

function title(r: BacktestResult, base?: string): string {
  return `backtest ${r.from} → ${r.to}, step ${r.step_seconds}s, ${r.alerts.length} alerts${base ? `, base ${base} → head` : ""}`;
}

export function renderText(r: BacktestResult, base?: string): string {
  const out = [title(r, base), ""];
  for (const [service, alerts] of byService(r)) {
    const table = [HEADERS, ...rows(r, alerts)];
    const width = (c: keyof Row) => table.reduce((max, row) => Math.max(max, row[c].length), 0);
    out.push(service);
    for (const row of table)
      out.push(
        `  ${COLUMNS.map((c) => row[c].padEnd(width(c)))
          .join("  ")
          .trimEnd()}`,
      );
    out.push("");
  }
  if (r.dashboards?.length) {
    out.push("dashboard panels that stay empty over the range (missing series listed)");
    for (const d of r.dashboards) out.push(`  ${d.dashboard} / ${d.panel}: ${d.missing_series.join(" ")}`);
    out.push("");
  }
  out.push(`verdict: ${verdict(r)}`);
  if (r.noise_budget?.length)
    out.push("noise budget (alerting.objectives pages_per_week):", ...noiseLines(r.noise_budget).map((l) => `  ${l}`));
  return out.join("\n") + "\n";
}

/** One character per slice of [from, to]: `█` when the alert fired in it, `▁` otherwise. */
export function timeline(r: BacktestResult, s: Side | null | undefined): string {
  if (!s) return "(absent)";
  const from = Date.parse(r.from);
  const slice = (Date.parse(r.to) - from) / TIMELINE_CELLS;
  const cells = Array.from({ length: TIMELINE_CELLS }, () => "▁");
  for (const e of s.episodes) {
    const start = (Date.parse(e.start) - from) / slice;
    const end = ((e.end === null ? Date.parse(r.to) : Date.parse(e.end)) - from) / slice;
    for (let i = Math.floor(start); i < Math.min(TIMELINE_CELLS, Math.max(Math.ceil(end), Math.floor(start) + 1)); i++)
      cells[i] = "█";
  }
  return cells.join("");
}

const cell = (s: string) => s.replace(/\|/g, "\\|");

export function renderMarkdown(r: BacktestResult, base?: string): string {
  const out = [
    `### Backtest ${r.from} → ${r.to} (step ${r.step_seconds}s${base ? `, base \`${base}\`` : ""})`,
    "",
    `**${verdict(r)}**`,
    "",
  ];
  if (r.noise_budget?.length)
    out.push(
      "Noise budget (`alerting.objectives` pages per week):",
      "",
      ...noiseLines(r.noise_budget).map((l) => `- ${cell(l)}`),
      "",
    );
  const changedAlerts = r.alerts.filter((a) => a.base !== undefined && changed(a));
  for (const a of changedAlerts) out.push(...gantt(r, a), "");
  for (const [service, alerts] of byService(r)) {
    out.push(
      `#### ${service}`,
      "",
      `| ${COLUMNS.map((c) => HEADERS[c]).join(" | ")} |`,
      `|${COLUMNS.map(() => "---").join("|")}|`,
    );
    for (const row of rows(r, alerts))
      out.push(
        `| ${COLUMNS.map((c) => cell(c === "missing" && row.missing ? `\`${row.missing}\`` : row[c])).join(" | ")} |`,
      );
    out.push("");
  }
  if (r.dashboards?.length) {
    out.push(
      "#### Dashboard panels that stay empty over the range",
      "",
      "| dashboard | panel | missing series |",
      "|---|---|---|",
    );
    for (const d of r.dashboards)
      out.push(`| ${cell(d.dashboard)} | ${cell(d.panel)} | ${cell(`\`${d.missing_series.join(" ")}\``)} |`);
    out.push("");
  }
  const shown = r.alerts.filter((a) => (a.base === undefined ? episodes(a.head) > 0 : changed(a)));
  if (shown.length) {
    out.push(
      `<details><summary>Timelines (${shown.length} ${base ? "changed " : ""}alerts, one cell = ${duration((Date.parse(r.to) - Date.parse(r.from)) / 1000 / TIMELINE_CELLS)})</summary>`,
      "",
      "```",
    );
    for (const a of shown) {
      out.push(`${a.labels.service} ${a.alert} ${a.labels.severity}`);
      if (a.base !== undefined) out.push(`  base ${timeline(r, a.base)}`);
      out.push(`  head ${timeline(r, a.head)}`);
    }
    out.push("```", "", "</details>");
  }
  return out.join("\n") + "\n";
}
