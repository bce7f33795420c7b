/**
 * `alerting.escalation` → an escalated copy of every alert of an escalated severity: labels plus
 * `escalation: <after>`, firing once its alert has been firing `after` since it first fired, the
 * same PromQL in both targets. The copy's query is the alert's condition C, kept only for the
 * series of C that have held through the last `after` with no dip (C clear) of the dip tolerance
 * D or longer (`escalationHistory`), and it has the alert's own `for`; so it fires at the
 * alert's first firing + `after` however C flaps in between, only while the alert fires, and
 * starts over once C has been clear for D. The routing sends copies to the escalation contacts
 * only; a silence on `alert` (what `ack` creates) covers the alert and its copy.
 */
import type { Catalog, Escalation } from "../catalog/model";
import { yieldsScalar } from "../catalog/promql-types";
import { formatDuration } from "../catalog/units";
import { ANNOTATION, LABEL, WATCHDOG_ALERT } from "../conventions";
import type { AlertRule, InputSeries, Rule, RuleGroup, RuleTest } from "./model";

/**
 * Upper bound of the dip tolerance D = min(after, 5m): a condition clear for less than D does
 * not restart the countdown. A flapping P0 clears for a minute or two between firings (a check
 * probing every 1m that fails every other run, an error rate hovering at its threshold); 5m is
 * the window the signals are computed over anyway (5m rate windows, probe results within at
 * least 5m, Prometheus' 5m lookback), so a shorter clear phase is noise of the signal itself. A
 * recovery of 5m, or of a whole `after` when that is shorter, is a new incident.
 */
export const DIP_TOLERANCE_MAX_MS = 5 * 60_000;

/** D for `after` in a group evaluated every `intervalMs`: min(after, 5m), in whole evaluations, at least one. */
export function dipToleranceMs(afterMs: number, intervalMs: number): number {
  return Math.max(1, Math.ceil(Math.min(afterMs, DIP_TOLERANCE_MAX_MS) / intervalMs)) * intervalMs;
}

/** `condition` as an instant vector (a scalar condition becomes `vector(…)`, as a rule reads it). */
const asVector = (condition: string) => (yieldsScalar(condition) ? `vector(${condition})` : `(${condition})`);

/**
 * Per series of `condition`: present while the series has been returned at some evaluation
 * step within D of every step from `after` ago (rounded up to steps) through now, i.e. it first
 * held at least `after` ago and never was absent for D since. Subquery steps sit on a grid of
 * whole intervals, rule evaluations at the group's own phase: the history reaches back one
 * interval less 1ms further than `after`, so the copy never fires before the alert's first
 * firing + `after` (at worst one evaluation after it), and no range starts on a grid step, so
 * Prometheus 2 (closed ranges) and 3 / Mimir (left-open) count the same steps.
 */
export function escalationHistory(condition: string, afterMs: number, intervalMs: number): string {
  const step = formatDuration(intervalMs);
  const within = formatDuration(dipToleranceMs(afterMs, intervalMs) - Math.max(1, Math.floor(intervalMs / 2)));
  const since = formatDuration(Math.ceil(afterMs / intervalMs) * intervalMs + intervalMs - 1);
  return (
    `(count_over_time(count_over_time(${asVector(condition)}[${within}:${step}])[${since}:${step}])` +
    ` >= on () group_left () count_over_time(vector(1)[${since}:${step}]))`
  );
}

/** The copy's condition: the series of `condition` whose history reaches back `after`. */
const escalatedCondition = (condition: string, afterMs: number, intervalMs: number) =>
  `${asVector(condition)} and ${escalationHistory(condition, afterMs, intervalMs)}`;

/** The groups with each escalated alert's copy appended to its group. */
export function withEscalations(catalog: Catalog, groups: RuleGroup[]): RuleGroup[] {
  const steps = new Map(catalog.alerting.escalations.map((e) => [e.severity, e]));
  if (steps.size === 0) return groups;
  return groups.map((g) => {
    const copies = (rule: Rule): AlertRule[] => {
      if (rule.kind !== "alert" || rule.alert === WATCHDOG_ALERT) return [];
      const step = steps.get(rule.labels.severity);
      return step ? [escalated(rule, step, g.intervalMs)] : [];
    };
    return { ...g, rules: [...g.rules, ...g.rules.flatMap(copies)] };
  });
}

function escalated({ suppressedBy: _, ...rule }: AlertRule, step: Escalation, intervalMs: number): AlertRule {
  const after = formatDuration(step.afterMs);
  const summary = rule.annotations[ANNOTATION.summary];
  const condition = (c: string) => escalatedCondition(c, step.afterMs, intervalMs);
  const hold = rule.holdWhileMissing;
  return {
    ...rule,
    id: `${rule.id}/escalation`,
    expr: condition(rule.expr),
    ...(rule.ownExpr === undefined ? {} : { ownExpr: condition(rule.ownExpr) }),
    labels: { ...rule.labels, [LABEL.escalation]: after },
    annotations: {
      ...rule.annotations,
      [ANNOTATION.summary]: `Escalated, firing for ${after}: ${summary}`,
      [ANNOTATION.description]: `Still firing ${after} after it first fired and not acknowledged. ${rule.annotations[ANNOTATION.description]}`,
    },
    ...(hold
      ? {
          // Value form (1/0, nothing without data): 0 until the history reaches back `after`.
          holdWhileMissing: {
            ...hold,
            valueExpr: `((${hold.valueExpr}) and ${escalationHistory(rule.expr, step.afterMs, intervalMs)}) or (${hold.valueExpr}) * 0`,
          },
        }
      : {}),
    ...(rule.grafana ? { grafana: { ...rule.grafana, expr: condition(rule.grafana.expr) } } : {}),
    ...(rule.test ? { test: escalatedTestOf(rule.test, step.afterMs, dipToleranceMs(step.afterMs, intervalMs)) } : {}),
  };
}

const LAST_TERM = /^(.*?)(-?[\d.e+]+(?:[+-][\d.e+]+)?|_)(?:x(\d+))?$/;
const FLAT = /^(-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)x(\d+)$/;

/** The copy's test, built on demand from the original's. */
function escalatedTestOf(
  original: () => RuleTest | undefined,
  afterMs: number,
  dipMs: number,
): () => RuleTest | undefined {
  return () => {
    const test = original();
    return test && escalatedTest(test, afterMs, dipMs);
  };
}

/** `series` with `samples` more samples of its last value; undefined when its notation ends otherwise. */
function extended(series: InputSeries[], samples: number): InputSeries[] | undefined {
  const out: InputSeries[] = [];
  for (const s of series) {
    const m = LAST_TERM.exec(s.values.trim());
    if (!m) return undefined;
    out.push({ series: s.series, values: `${m[1]}${m[2]}x${Number(m[3] ?? 0) + samples}` });
  }
  return out;
}

/**
 * The original's test, its series held `after` longer and evaluated `after` later: the copy
 * fires `after` (from the catalog) after the original first fires, and not one evaluation
 * earlier; where the series are constant gauges, also with the condition clear for the longest
 * dip shorter than `dipMs` right after the original first fired (the copy must not start
 * over). Undefined when a series cannot be extended.
 */
function escalatedTest(original: RuleTest, afterMs: number, dipMs: number): RuleTest | undefined {
  const test = withQuietPast(original, Math.ceil((afterMs + dipMs) / original.intervalMs));
  const more = Math.ceil(afterMs / test.intervalMs);
  const fire = extended(test.fire, more);
  const quiet = test.quiet && extended(test.quiet, more);
  const atBound = test.atBound && extended(test.atBound.series, more);
  if (!fire || (test.quiet && !quiet) || (test.atBound && !atBound)) return undefined;
  const firesAtMs = test.firesAtMs === undefined ? undefined : test.firesAtMs + afterMs;
  const dip = firesAtMs === undefined ? undefined : dipped(test, fire, firesAtMs, dipMs);
  return {
    ...test,
    fire,
    ...(quiet ? { quiet } : {}),
    ...(test.atBound && atBound ? { atBound: { ...test.atBound, series: atBound } } : {}),
    evalAfterMs: test.evalAfterMs + afterMs,
    ...(firesAtMs === undefined ? {} : { firesAtMs }),
    ...(dip ? { dip } : {}),
  };
}

/**
 * When `fire` lacks a series `quiet` has, the condition holds on missing data, and so it did
 * before the test's first sample: the copy's history would reach back forever. Such a test gets
 * `samples` of its quiet series first (its missing series then stop), so the incident starts
 * there. Tests of other inputs (counters: the series missing from `fire` is the successful
 * requests) are returned as they are.
 */
function withQuietPast(test: RuleTest, samples: number): RuleTest {
  const { fire, quiet } = test;
  if (!quiet || quiet.every((q) => fire.some((f) => f.series === q.series))) return test;
  const past = (series: string) => {
    const q = quiet.find((s) => s.series === series);
    return q && FLAT.exec(q.values.trim())?.[1];
  };
  const out: InputSeries[] = [];
  for (const f of fire) {
    const [value, then] = [past(f.series), FLAT.exec(f.values.trim())];
    if (value === undefined || !then) return test;
    out.push({ series: f.series, values: `${value}x${samples - 1} ${then[1]}x${then[2]}` });
  }
  const length = Number(FLAT.exec(fire[0].values.trim())?.[2] ?? 0);
  for (const q of quiet.filter((q) => !fire.some((f) => f.series === q.series)))
    out.push({ series: q.series, values: `${past(q.series)}x${samples - 1} _x${length}` });
  const shiftMs = samples * test.intervalMs;
  const quietLonger = extended(quiet, samples);
  const atBound = test.atBound && extended(test.atBound.series, samples);
  if (!quietLonger || (test.atBound && !atBound)) return test;
  return {
    ...test,
    fire: out,
    quiet: quietLonger,
    ...(test.atBound && atBound ? { atBound: { ...test.atBound, series: atBound } } : {}),
    evalAfterMs: test.evalAfterMs + shiftMs,
    ...(test.firesAtMs === undefined ? {} : { firesAtMs: test.firesAtMs + shiftMs }),
  };
}

/**
 * `fire` with every series taking its `quiet` value for the longest run of samples shorter than
 * `dipMs`, from the sample after the original first fired; undefined unless every series is a
 * constant gauge in both and the copy's countdown, not the alert's `for` after the dip, decides
 * when it fires.
 */
function dipped(test: RuleTest, fire: InputSeries[], firesAtMs: number, dipMs: number): RuleTest["dip"] {
  const { intervalMs, firesAtMs: firstMs, quiet } = test;
  if (firstMs === undefined || !quiet || quiet.length !== fire.length) return undefined;
  const from = firstMs / intervalMs + 1;
  const samples = Math.ceil(dipMs / intervalMs) - 1;
  // The alert fires again at the end of the dip plus its `for`; the copy fires once the alert does.
  if (samples < 1 || (from + samples) * intervalMs + firstMs > firesAtMs - intervalMs) return undefined;
  const series: InputSeries[] = [];
  for (const f of fire) {
    const q = quiet.find((s) => s.series === f.series);
    const fv = FLAT.exec(f.values.trim());
    const qv = q && FLAT.exec(q.values.trim());
    if (!fv || !qv) return undefined;
    const rest = Number(fv[2]) + 1 - from - samples;
    series.push({ series: f.series, values: `${fv[1]}x${from - 1} ${qv[1]}x${samples - 1} ${fv[1]}x${rest - 1}` });
  }
  return { series, fromMs: from * intervalMs, ms: samples * intervalMs };
}
