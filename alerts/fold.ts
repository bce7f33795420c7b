/**
 * The folded Prometheus rule form. Prometheus template-parses every label and annotation value
 * of every alerting rule it loads (`model/rulefmt` testTemplateParsing: a template expander per
 * value), which at 1000 services × 6 alerts × 9 values took seconds. Folded, every alert of the
 * model becomes a recording rule of its condition, labelled with what differs between services
 * (`service`, `team`), and the alerts with the same name, `for`, `keep_firing_for`, other labels
 * and texts (with the service's name written `{{ $labels.service }}`) share ONE alerting rule
 * that selects those records. A suppressing alert's held condition, which the model (and Grafana)
 * inline in every alert it suppresses, is one recording rule read by all of them.
 *
 * The folded rules fire exactly as the model's. They are in one group with the services' own
 * recording rules, each record before the rules reading it, and Prometheus evaluates a group's
 * rules in order at one timestamp, committing each rule's samples (and a stale marker for each
 * series it no longer returns) before the next (rules/manager.go `Group.Eval`): at every
 * evaluation the alerting rule reads exactly the condition's result of that evaluation, with the
 * same series, value (`$value`), `for` and `keep_firing_for` clock. The alert's labels are the
 * result's labels with the record's labels set, then the alerting rule's (a recording rule sets
 * its labels over the result's, an alerting rule drops `__name__` and sets its own): the model's
 * labels, split between the two. A `{{ $labels.service }}` expands to the `service` label the
 * record sets.
 *
 * Not folded, written as the model has them: alerts with a template (`{{`) in a label value, and
 * the groups of rule files (deployed as published).
 */
import { formatDuration } from "../catalog/units";
import { ALERT_HELD_RECORD, ALERT_ID_LABEL, alertConditionRecord, LABEL, SHARED_RECORDS } from "../conventions";
import type { AlertRule, RuleGroup } from "./model";
import { prometheusExpr, promGroup, promRule, type PromGroup } from "./prometheus-rules";
import { matchesAny, suppressedExpr, suppressingMatchers, type SuppressingMatcher } from "./suppression";

/** Labels every folded alert's condition record carries: they differ between services. */
const RECORD_LABELS: readonly string[] = [LABEL.service, LABEL.team];
/** A label's value as a template: a folded alerting rule's label that its records set. */
const labelTemplate = (label: string) => `{{ $labels.${label} }}`;
/** The only templates folding writes: a record's label read back (verify/identical-tests.ts reads them). */
export const FOLD_TEMPLATES: readonly string[] = RECORD_LABELS.map(labelTemplate);
const SERVICE_TEMPLATE = labelTemplate(LABEL.service);

export interface Folded {
  /** The recording rule of this alert's condition. */
  record: { record: string; expr: string; labels: Record<string, string> };
  /** The alerting rule shared by every alert folded with this one (Prometheus rule-file form; one object, not to be changed). */
  alert: Readonly<Record<string, unknown>>;
}

/** An annotation with the service's name written as a template, when that expands back to it exactly. */
function templated(text: string, service: string): string {
  // A `{` before the name would join the template's `{{` into another action.
  return text.includes("{") || !text.includes(service) ? text : text.replaceAll(service, SERVICE_TEMPLATE);
}

/**
 * Whether `templated(text, service)` is the text `parts` joins to with `{{ $labels.service }}`
 * (`parts`: that text split at each), without building it. A text with a `{` is kept as
 * written, so it must be that join. Any other is its pieces between the service's names
 * (leftmost first, as `replaceAll`) joined by the template; the pieces hold no `{` and the
 * template's occurrences cannot overlap, so the join is those parts exactly when the pieces are
 * the parts, one by one (a text without the name is one piece).
 */
function templatesTo(text: string, service: string, parts: readonly string[]): boolean {
  let pos = 0;
  if (text.includes("{")) {
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) {
        if (!text.startsWith(SERVICE_TEMPLATE, pos)) return false;
        pos += SERVICE_TEMPLATE.length;
      }
      if (!text.startsWith(parts[i], pos)) return false;
      pos += parts[i].length;
    }
    return pos === text.length;
  }
  for (let i = 0; i < parts.length - 1; i++) {
    const at = text.indexOf(service, pos);
    if (at - pos !== parts[i].length || !text.startsWith(parts[i], pos)) return false;
    pos = at + service.length;
  }
  const last = parts[parts.length - 1];
  return text.length - pos === last.length && text.indexOf(service, pos) === -1 && text.startsWith(last, pos);
}

/** A suppressing alert's held record: its labels. */
function heldLabels(source: AlertRule): Record<string, string> {
  return {
    [ALERT_ID_LABEL]: source.id,
    [LABEL.service]: source.labels.service,
    [LABEL.severity]: source.labels.severity,
    [LABEL.alert]: source.alert,
  };
}

const heldSelector = (matchers: Record<string, string | undefined>) =>
  `${ALERT_HELD_RECORD}{${Object.entries(matchers)
    .flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${JSON.stringify(v)}`]))
    .join(", ")}}`;

/** The clause of each list of matchers (one list per kind of alert, `suppressingMatchers`). */
const clauses = new WeakMap<readonly SuppressingMatcher[], string>();
function clauseOf(matchers: readonly SuppressingMatcher[]): string {
  let clause = clauses.get(matchers);
  if (clause === undefined) {
    const selectors = matchers.map((m) => heldSelector({ [LABEL.severity]: m.severity, [LABEL.alert]: m.alert }));
    clause = selectors.length ? ` unless on(${LABEL.service}) (${selectors.join(" or ")})` : "";
    clauses.set(matchers, clause);
  }
  return clause;
}

/**
 * How the alert is suppressed once folded. Its condition record reads its own expression and
 * the shared alerting rule drops every series whose service has a suppressing alert held
 * (`unless on(service)` the held records with the labels `suppressingMatchers` gives: the same
 * test `withSuppression` chose the alert's sources by, so it selects exactly `suppressedBy`),
 * when the alert reads its suppression at the top of its expression. An escalated copy (whose
 * expression wraps it) and an alert held while its input is missing (whose hold is not
 * suppressed) keep their expression, each suppressing alert read from its held record by id.
 */
function suppression(rule: AlertRule): { condition: string; clause: string } {
  const by = rule.suppressedBy;
  const matchers = suppressingMatchers(rule);
  const topLevel = !rule.holdWhileMissing && (rule.ownExpr === undefined || by !== undefined);
  if (topLevel && !matchesAny(rule.labels, matchers))
    return {
      condition: rule.ownExpr ?? rule.expr,
      clause: clauseOf(matchers),
    };
  const expr =
    by && rule.ownExpr !== undefined
      ? suppressedExpr(
          rule.ownExpr,
          by.map((s) => heldSelector({ [ALERT_ID_LABEL]: s.source.id })),
        )
      : rule.expr;
  return { condition: prometheusExpr({ ...rule, expr }), clause: "" };
}

interface Share {
  record: string;
  alert: Record<string, unknown>;
  /** Each annotation's name and its folded text split at each `{{ $labels.service }}`. */
  texts: Array<{ key: string; parts: string[] }>;
}

/**
 * The shared alerting rules by their name, `for`, `keep_firing_for`, suppression clause and
 * other labels (one map level per part: a label count, then names and values, so no key string
 * is built), each level's few shares told apart by their texts.
 */
interface ShareNode {
  next: Map<string | number, ShareNode>;
  shares: Share[];
}
const shareNode = (): ShareNode => ({ next: new Map(), shares: [] });
let root = shareNode();
let shareCount = 0;

function step(node: ShareNode, part: string | number): ShareNode {
  let next = node.next.get(part);
  if (next === undefined) node.next.set(part, (next = shareNode()));
  return next;
}

function sameTexts(share: Share, annotations: Record<string, string>, service: string): boolean {
  let i = 0;
  for (const k in annotations) {
    const text = share.texts[i++];
    if (text === undefined || text.key !== k || !templatesTo(annotations[k], service, text.parts)) return false;
  }
  return i === share.texts.length;
}

/** The alert's folded form, or undefined when it cannot fold (a template in a label value). */
export function foldOf(rule: AlertRule): Folded | undefined {
  const labels = rule.labels;
  const service = labels.service;
  let shared = 0;
  for (const k in labels) {
    if (labels[k].includes("{{")) return undefined;
    if (!RECORD_LABELS.includes(k)) shared++;
  }
  const { condition, clause } = suppression(rule);
  let node = step(step(step(step(step(root, rule.alert), rule.forMs), rule.keepFiringForMs ?? 0), clause), shared);
  for (const k in labels) if (!RECORD_LABELS.includes(k)) node = step(step(node, k), labels[k]);
  let share = node.shares.find((s) => sameTexts(s, rule.annotations, service));
  if (share === undefined) {
    if (shareCount >= 100_000) {
      root = shareNode();
      shareCount = 0;
    }
    share = shareOf(rule, clause);
    node.shares.push(share);
    shareCount++;
  }
  const kept: Record<string, string> = {};
  for (const k of RECORD_LABELS) if (labels[k] !== undefined) kept[k] = labels[k];
  return { record: { record: share.record, expr: condition, labels: kept }, alert: share.alert };
}

/** The alerting rule an alert shares with those folded with it, and the name of their records. */
function shareOf(rule: AlertRule, clause: string): Share {
  const shared: Record<string, string> = {};
  // The alerting rule names every label: the records' as templates reading them back, unchanged.
  const labels: Record<string, string> = {};
  for (const k in rule.labels)
    if (RECORD_LABELS.includes(k)) labels[k] = labelTemplate(k);
    else labels[k] = shared[k] = rule.labels[k];
  const annotations: Record<string, string> = {};
  const texts: Share["texts"] = [];
  for (const k in rule.annotations) {
    annotations[k] = templated(rule.annotations[k], rule.labels.service);
    texts.push({ key: k, parts: annotations[k].split(SERVICE_TEMPLATE) });
  }
  const record = alertConditionRecord(
    rule.alert,
    JSON.stringify([rule.alert, rule.forMs, rule.keepFiringForMs ?? 0, shared, annotations, clause]),
  );
  const alert = {
    alert: rule.alert,
    expr: `${record}${clause}`,
    ...(rule.forMs > 0 ? { for: formatDuration(rule.forMs) } : {}),
    ...(rule.keepFiringForMs ? { keep_firing_for: formatDuration(rule.keepFiringForMs) } : {}),
    labels,
    annotations,
  };
  return { record, alert, texts };
}

/**
 * The groups in rule-file form. The shared recording rules and the groups of rule files stay
 * groups of their own; every other group is merged into the one group `foldedName`, so that
 * each alert still reads its service's records at the evaluation that computed them: the
 * services' rules (by group name, each group's order kept; foldable alerts left out), the held
 * records of the suppressing alerts, then per shared alerting rule its condition records (by
 * alert id) and the rule (by record name). The catalog's order changes nothing.
 */
export function foldedGroups(groups: RuleGroup[], foldedName: string): PromGroup[] {
  const out: PromGroup[] = [];
  const merged: Array<Record<string, unknown>> = [];
  const held = new Map<string, { source: AlertRule; held: string }>();
  const folds = new Map<
    string,
    { alert: Record<string, unknown>; records: Array<{ id: string; rule: Folded["record"] }> }
  >();
  let intervalMs: number | undefined;
  const byName = [...groups].sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const g of byName) {
    if (g.fromFile || g.service === SHARED_RECORDS) {
      out.push(promGroup(g));
      continue;
    }
    intervalMs ??= g.intervalMs;
    if (g.intervalMs !== intervalMs) throw new Error(`rule group ${g.name}: merged groups must share one interval`);
    for (const rule of g.rules) {
      const folded = rule.kind === "alert" ? foldOf(rule) : undefined;
      if (!folded) {
        merged.push(promRule(rule));
        continue;
      }
      for (const s of (rule as AlertRule).suppressedBy ?? []) held.set(s.source.id, s);
      const name = folded.record.record;
      const fold = folds.get(name) ?? { alert: folded.alert, records: [] };
      fold.records.push({ id: rule.id, rule: folded.record });
      folds.set(name, fold);
    }
  }
  if (intervalMs === undefined) return out;
  const rules = [
    ...merged,
    ...[...held.keys()].sort().map((id) => {
      const { source, held: expr } = held.get(id)!;
      return { record: ALERT_HELD_RECORD, expr, labels: heldLabels(source) };
    }),
    ...[...folds.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .flatMap(([, f]) => [...f.records.sort((a, b) => (a.id < b.id ? -1 : 1)).map((r) => r.rule), f.alert]),
  ];
  return [...out, { name: foldedName, interval: formatDuration(intervalMs), rules }];
}
