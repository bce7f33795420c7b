/**
 * Worst-case detection time of every alert in one target: from the start of the incident its
 * family is stated against (alerts/detection.ts) to the first notification, as a sum of named
 * terms — collection interval (probe or scrape, plus the probe's timeout), the time the
 * expression needs to cross, a recording rule's evaluation lag, the evaluation interval, `for`
 * (rounded up to evaluations), escalation `after` and one history step for escalated copies, and group_wait.
 * Mute timings and a group that is already notifying (group_interval) are not counted.
 */
import { parser } from "@prometheus-io/lezer-promql";
import type { Catalog, Severity } from "../catalog/model";
import { formatDuration, parseDuration } from "../catalog/units";
import { DEFAULTS, LABEL, WATCHDOG_ALERT } from "../conventions";
import { LOCAL_GROUP_WAIT } from "./alertmanager";
import { generateRuleGroups } from "./generate";
import { scrapeCollection } from "./detection";
import type { AlertRule, Detection, RuleGroup } from "./model";

export type Target = "local" | "prod";

export interface BoundTerm {
  term: string;
  ms: number;
}

export interface DetectionBound {
  id: string;
  alert: string;
  severity: Severity;
  labels: Record<string, string>;
  target: Target;
  incident: string;
  terms: BoundTerm[];
  /** Infinity when the expression never crosses under the incident. */
  totalMs: number;
  /** An escalated copy: a second notification, `after` the first. */
  escalation: boolean;
}

export interface TargetTiming {
  target: Target;
  groupWaitMs: number;
  /** Whether the target evaluates recording rules separately (an alert reading one may see it an evaluation late). */
  recordingRules: boolean;
}

export function targetTiming(catalog: Catalog, target: Target): TargetTiming {
  return {
    target,
    groupWaitMs: parseDuration(target === "local" ? LOCAL_GROUP_WAIT : DEFAULTS.groupWait)!,
    recordingRules: target === "local" || catalog.grafanaVersion.recordingRules,
  };
}

/** Bounds of every alert of the catalog in `target` (the Watchdog, always firing, has none). */
export function catalogBounds(
  catalog: Catalog,
  target: Target,
  customRules: Record<string, string> = {},
): DetectionBound[] {
  return detectionBounds(generateRuleGroups(catalog, { customRules, profile: target }), targetTiming(catalog, target));
}

export function detectionBounds(groups: RuleGroup[], timing: TargetTiming): DetectionBound[] {
  const out: DetectionBound[] = [];
  for (const g of groups)
    for (const rule of g.rules)
      if (rule.kind === "alert" && rule.alert !== WATCHDOG_ALERT) out.push(bound(rule, g.intervalMs, timing));
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

const ceilTo = (ms: number, step: number) => (step > 0 ? Math.ceil(ms / step) * step : ms);

function bound(rule: AlertRule, evalMs: number, timing: TargetTiming): DetectionBound {
  const d = rule.detection?.() ?? handWritten(rule.ownExpr ?? rule.expr, timing.target);
  const escalation = rule.labels[LABEL.escalation];
  const afterMs = escalation === undefined ? 0 : parseDuration(escalation)!;
  const terms: BoundTerm[] = [];
  const c = d.collection;
  if (c) {
    terms.push({ term: `${c.what} every`, ms: c.everyMs });
    if (c.timeoutMs) terms.push({ term: `${c.what} timeout`, ms: c.timeoutMs });
  }
  terms.push({ term: `crossing (${d.crossing})`, ms: ceilTo(d.crossMs, c?.everyMs ?? 0) });
  if (d.readsRecords && timing.recordingRules) terms.push({ term: "recording rule evaluation", ms: evalMs });
  terms.push({ term: "evaluation", ms: evalMs });
  terms.push({ term: "for", ms: ceilTo(rule.forMs, evalMs) });
  if (escalation !== undefined) {
    terms.push({ term: "escalation after", ms: afterMs });
    // The copy's history is read on a grid of whole intervals, not at the group's evaluation phase.
    terms.push({ term: "escalation history step", ms: evalMs });
  }
  terms.push({ term: "group_wait", ms: timing.groupWaitMs });
  return {
    id: rule.id,
    alert: rule.alert,
    severity: rule.labels.severity,
    labels: rule.labels,
    target: timing.target,
    incident: d.incident,
    terms,
    totalMs: terms.reduce((sum, t) => sum + t.ms, 0),
    escalation: escalation !== undefined,
  };
}

/**
 * A hand-written rule's incident is its own condition becoming true; a range function may need
 * its whole window for that, so the longest range (or subquery) window is the crossing term.
 */
function handWritten(expr: string, target: Target): Detection {
  const windows: number[] = [];
  let records = false;
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.name === "MatrixSelector" || node.name === "SubqueryExpr") {
        const range = node.node.getChild("DurationExpr") ?? node.node.getChild("NumberDurationLiteral");
        const ms = range && parseDuration(expr.slice(range.from, range.to));
        if (ms) windows.push(ms);
      }
      if (node.name === "Identifier" && expr.slice(node.from, node.to).includes(":")) records = true;
      return true;
    },
  });
  const longest = Math.max(0, ...windows);
  return {
    incident: "its condition holds from the start",
    collection: scrapeCollection(target),
    crossMs: longest,
    crossing: longest ? `its longest range, ${formatDuration(longest)}` : "first sample",
    readsRecords: records,
  };
}

/** `probe every 5s + … + group_wait 2s = 22s` */
export function formatTerms(b: DetectionBound): string {
  return `${b.terms.map((t) => `${t.term} ${human(t.ms)}`).join(" + ")} = ${human(b.totalMs)}`;
}

/** A duration rounded up to whole seconds (`51.84s` → `52s`); `never` for Infinity. */
export function human(ms: number): string {
  return ms === Infinity ? "never" : formatDuration(Math.ceil(ms / 1000) * 1000);
}

/** One line per alert of a severity with a `detect` objective whose bound exceeds it (escalated copies are second notifications and not checked). */
export function objectiveMisses(catalog: Catalog, bounds: DetectionBound[]): string[] {
  const detect = new Map(catalog.alerting.objectives.flatMap((o) => (o.detectMs ? [[o.severity, o.detectMs]] : [])));
  return bounds
    .filter((b) => !b.escalation && detect.has(b.severity) && b.totalMs > detect.get(b.severity)!)
    .map(
      (b) =>
        `${b.target} ${b.id} (${b.alert} ${b.severity}): worst case ${human(b.totalMs)} exceeds alerting.objectives.${b.severity}.detect ${formatDuration(detect.get(b.severity)!)} — ${b.incident}: ${formatTerms(b)}`,
    );
}
