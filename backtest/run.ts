/**
 * A backtest: every alert of the head catalog (and of the base, with `--base`) evaluated at
 * every step of [from, to] against one Prometheus, recording rules expanded inline. Alerts are
 * matched between head and base by identity: alert name + the rule's own labels.
 */
import type { AlertRule, RuleGroup } from "../alerts/model";
import { episodesOf, firingAt, firingSeconds, firstSlot, slots, type Grid } from "./evaluate";
import { RecordingRules, vectorSelectors } from "../alerts/inline-recording";
import type { PrometheusClient, RangeSeries } from "./prometheus";
import { formatInstant } from "./time";
import { formatDuration } from "../catalog/units";

/** Most evaluations per alert a backtest asks for (e.g. 138 days at a 1m step): a range beyond it is refused before any query. */
export const MAX_EVALUATIONS = 200_000;

/** A range and step needing more than `MAX_EVALUATIONS` evaluations. */
export class RangeTooLarge extends Error {}
import type { NoiseBudget } from "./noise";

export interface BacktestInput {
  fromMs: number;
  toMs: number;
  stepMs: number;
  head: RuleGroup[];
  base?: RuleGroup[];
  /** Dashboard panel queries to check for series that do not exist (`--dashboards`). */
  panels?: PanelQuery[];
  /** Called after each finished query with (done, total). */
  progress?: (done: number, total: number) => void;
}

export interface Side {
  episodes: Array<{ start: string; end: string | null }>;
  firing_seconds: number;
  /** Label sets returned by the expression that fired in the range (besides the rule's own labels). */
  series: Array<Record<string, string>>;
}

export interface AlertResult {
  alert: string;
  labels: Record<string, string>;
  missing_series: string[];
  head: Side | null;
  /** Absent without a base; null for an alert the base does not have. */
  base?: Side | null;
}

export interface PanelQuery {
  dashboard: string;
  panel: string;
  expr: string;
}

export interface BacktestResult {
  from: string;
  to: string;
  step_seconds: number;
  alerts: AlertResult[];
  /**
   * With `--dashboards`: the panels none of whose queries returns a series anywhere in the range
   * (for any service), with the selectors (after expansion) that match no series.
   */
  dashboards?: Array<{ dashboard: string; panel: string; missing_series: string[] }>;
  /** Pages per week of each severity with an `alerting.objectives` `pages_per_week`, against it. */
  noise_budget?: NoiseBudget[];
}

interface Evaluated {
  rule: AlertRule;
  expr: string;
}

const sortedLabels = (labels: Record<string, string>) =>
  Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
const PANEL_POINTS = 250;

export const identity = (alert: string, labels: Record<string, string>) =>
  JSON.stringify([alert, sortedLabels(labels)]);

/** Every alert of `groups` with its expression expanded, by identity. */
function alertsOf(groups: RuleGroup[]): Map<string, Evaluated[]> {
  const records = new RecordingRules(groups);
  const out = new Map<string, Evaluated[]>();
  for (const g of groups) {
    for (const rule of g.rules) {
      if (rule.kind !== "alert") continue;
      const key = identity(rule.alert, rule.labels);
      out.set(key, [...(out.get(key) ?? []), { rule, expr: records.expand(rule.expr) }]);
    }
  }
  return out;
}

/** The default step: the evaluation interval of the catalog's rule groups. */
export function groupInterval(groups: RuleGroup[]): number {
  return groups.reduce((max, g) => Math.max(max, g.intervalMs), 0);
}

export async function backtest(client: PrometheusClient, input: BacktestInput): Promise<BacktestResult> {
  const head = alertsOf(input.head);
  const base = input.base && alertsOf(input.base);
  const all = [...head.values(), ...(base?.values() ?? [])].flat();
  const maxFor = all.reduce((max, a) => Math.max(max, a.rule.forMs), 0);
  // Evaluations start `for` before `from` so that an alert already pending at `from` fires when Prometheus would have.
  const grid: Grid = {
    startMs: input.fromMs - Math.ceil(maxFor / input.stepMs) * input.stepMs,
    endMs: input.toMs,
    stepMs: input.stepMs,
  };
  if (slots(grid) > MAX_EVALUATIONS) {
    const minStepS = Math.ceil((grid.endMs - grid.startMs) / (MAX_EVALUATIONS - 1) / 1000);
    throw new RangeTooLarge(
      `[from, to] at step ${formatDuration(input.stepMs)} is ${slots(grid).toLocaleString("en")} evaluations per alert (the longest for included); at most ${MAX_EVALUATIONS.toLocaleString("en")}: use --step ${formatDuration(minStepS * 1000)} or more, or a shorter range`,
    );
  }

  const exprs = [...new Set(all.map((a) => a.expr))];
  const records = new RecordingRules(input.head);
  const panels = (input.panels ?? []).map((p) => ({ ...p, expanded: records.expand(p.expr) }));
  const panelExprs = [...new Set(panels.map((p) => p.expanded))];
  const selectors = [
    ...new Set([...all.flatMap((a) => vectorSelectors(a.expr)), ...panels.flatMap((p) => vectorSelectors(p.expanded))]),
  ];
  const total = exprs.length + selectors.length + panelExprs.length;
  let done = 0;
  const tick = <T>(p: Promise<T>) =>
    p.then((v) => {
      input.progress?.(++done, total);
      return v;
    });
  const ranges = new Map<string, Promise<RangeSeries[]>>(
    exprs.map((e) => [e, tick(client.queryRange(e, grid.startMs, grid.endMs, grid.stepMs))]),
  );
  const exists = new Map<string, Promise<boolean>>(
    selectors.map((s) => [s, tick(client.hasSeries(s, input.fromMs, input.toMs))]),
  );
  // A panel is looked at as a graph is: about PANEL_POINTS evaluations over the range.
  const panelStep = Math.max(input.stepMs, Math.ceil((input.toMs - input.fromMs) / PANEL_POINTS / 1000) * 1000);
  const panelData = new Map(
    panelExprs.map((e) => [
      e,
      tick(client.queryRange(e, input.fromMs, input.toMs, panelStep).then((r) => r.length > 0)),
    ]),
  );
  await Promise.all([...ranges.values(), ...exists.values(), ...panelData.values()]);

  const side = async (alerts: Evaluated[] | undefined): Promise<Side | null> => {
    if (!alerts) return null;
    const firing = new Uint8Array(slots(grid));
    const fired = new Map<string, Record<string, string>>();
    for (const a of alerts) {
      for (const s of await ranges.get(a.expr)!) {
        const f = firingAt(s, grid, a.rule.forMs);
        f.forEach((v, k) => (firing[k] |= v));
        const labels = Object.fromEntries(
          Object.entries(sortedLabels(s.labels)).filter(([k]) => k !== "__name__" && !(k in a.rule.labels)),
        );
        if (f.subarray(firstSlot(grid, input.fromMs)).includes(1)) fired.set(JSON.stringify(labels), labels);
      }
    }
    const episodes = episodesOf(firing, grid, input.fromMs);
    return {
      episodes: episodes.map((e) => ({
        start: formatInstant(e.start),
        end: e.end === null ? null : formatInstant(e.end),
      })),
      firing_seconds: firingSeconds(episodes, lastEvaluation(grid)),
      series: [...fired.keys()].sort().map((k) => fired.get(k)!),
    };
  };
  const missing = async (alerts: Evaluated[]) => {
    const out: string[] = [];
    for (const s of [...new Set(alerts.flatMap((a) => vectorSelectors(a.expr)))])
      if (!(await exists.get(s)!)) out.push(s);
    return out;
  };

  const results: AlertResult[] = [];
  for (const key of new Set([...head.keys(), ...(base?.keys() ?? [])])) {
    const h = head.get(key);
    const b = base?.get(key);
    const rule = (h ?? b)![0].rule;
    results.push({
      alert: rule.alert,
      labels: sortedLabels(rule.labels),
      missing_series: await missing(h ?? b!),
      head: await side(h),
      ...(base ? { base: await side(b) } : {}),
    });
  }
  const byPanel = new Map<string, { dashboard: string; panel: string; data: boolean; missing_series: string[] }>();
  for (const p of panels) {
    const key = JSON.stringify([p.dashboard, p.panel]);
    const entry = byPanel.get(key) ?? { dashboard: p.dashboard, panel: p.panel, data: false, missing_series: [] };
    entry.data ||= await panelData.get(p.expanded)!;
    for (const sel of vectorSelectors(p.expanded))
      if (!(await exists.get(sel)!) && !entry.missing_series.includes(sel)) entry.missing_series.push(sel);
    byPanel.set(key, entry);
  }
  const dashboards = [...byPanel.values()]
    .filter((d) => !d.data)
    .map(({ dashboard, panel, missing_series }) => ({ dashboard, panel, missing_series }));
  results.sort(
    (x, y) =>
      x.labels.service.localeCompare(y.labels.service) ||
      x.alert.localeCompare(y.alert) ||
      identity(x.alert, x.labels).localeCompare(identity(y.alert, y.labels)),
  );
  return {
    from: formatInstant(input.fromMs),
    to: formatInstant(input.toMs),
    step_seconds: input.stepMs / 1000,
    alerts: results,
    ...(input.panels ? { dashboards } : {}),
  };
}

function lastEvaluation(grid: Grid): number {
  return grid.startMs + Math.floor((grid.endMs - grid.startMs) / grid.stepMs) * grid.stepMs;
}
