/**
 * `alerting.escalation` → an escalated copy of every alert of an escalated severity: the same
 * query, labels plus `escalation: <after>`, and `for` lengthened by `after`, so it fires only
 * once the original has been firing `after` (both targets evaluate `for` the same way). The
 * routing sends copies to the escalation contacts only; a silence on `alertname` (what `ack`
 * creates) covers the alert and its copy.
 */
import type { Catalog, Escalation } from "../catalog/model";
import { formatDuration } from "../catalog/units";
import { ANNOTATION, LABEL, WATCHDOG_ALERT } from "../conventions";
import type { AlertRule, InputSeries, Rule, RuleGroup, RuleTest } from "./model";

/** The groups with each escalated alert's copy appended to its group. */
export function withEscalations(catalog: Catalog, groups: RuleGroup[]): RuleGroup[] {
  const steps = new Map(catalog.alerting.escalations.map((e) => [e.severity, e]));
  if (steps.size === 0) return groups;
  const copies = (rule: Rule): AlertRule[] => {
    if (rule.kind !== "alert" || rule.alert === WATCHDOG_ALERT) return [];
    const step = steps.get(rule.labels.severity);
    return step ? [escalated(rule, step)] : [];
  };
  return groups.map((g) => ({ ...g, rules: [...g.rules, ...g.rules.flatMap(copies)] }));
}

function escalated(rule: AlertRule, step: Escalation): AlertRule {
  const forMs = rule.forMs + step.afterMs;
  const after = formatDuration(step.afterMs);
  const summary = rule.annotations[ANNOTATION.summary];
  return {
    ...rule,
    id: `${rule.id}/escalation`,
    forMs,
    labels: { ...rule.labels, [LABEL.escalation]: after },
    annotations: {
      ...rule.annotations,
      [ANNOTATION.summary]: `Escalated, firing for ${after}: ${summary}`,
      [ANNOTATION.description]: `Still firing ${after} after it started and not acknowledged. ${rule.annotations[ANNOTATION.description]}`,
    },
    ...(rule.test ? { test: escalatedTest(rule.test, step.afterMs) } : {}),
  };
}

const LAST_TERM = /^(.*?)(-?[\d.e+]+(?:[+-][\d.e+]+)?)x(\d+)$/;

/**
 * The original's test, its series held `after` longer and evaluated `after` later: the copy
 * fires `after` (from the catalog) after the original would, and not one evaluation earlier;
 * undefined when a series cannot be extended.
 */
function escalatedTest(original: () => RuleTest | undefined, afterMs: number): () => RuleTest | undefined {
  return () => {
    const test = original();
    return test && extended(test, afterMs);
  };
}

function extended(test: RuleTest, afterMs: number): RuleTest | undefined {
  const more = Math.ceil(afterMs / test.intervalMs);
  const extend = (series: InputSeries[]): InputSeries[] | undefined => {
    const out: InputSeries[] = [];
    for (const s of series) {
      const m = LAST_TERM.exec(s.values.trim());
      if (!m) return undefined;
      out.push({ series: s.series, values: `${m[1]}${m[2]}x${Number(m[3]) + more}` });
    }
    return out;
  };
  const fire = extend(test.fire);
  const quiet = test.quiet && extend(test.quiet);
  const atBound = test.atBound && extend(test.atBound.series);
  if (!fire || (test.quiet && !quiet) || (test.atBound && !atBound)) return undefined;
  return {
    ...test,
    fire,
    ...(quiet ? { quiet } : {}),
    ...(test.atBound && atBound ? { atBound: { ...test.atBound, series: atBound } } : {}),
    evalAfterMs: test.evalAfterMs + afterMs,
    ...(test.firesAtMs === undefined ? {} : { firesAtMs: test.firesAtMs + afterMs }),
  };
}
