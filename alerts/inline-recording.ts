/**
 * Recording rules expanded inline: an alert that reads `service:errors:ratio_rate5m{service="web"}`
 * is rewritten to compute that series from the raw metrics, so it can be evaluated over history
 * in which the recording rule never ran (a new or changed catalog, or a Prometheus that never
 * loaded the rules).
 *
 * `rec{m}` becomes the union (`or`) of every recording rule writing `rec` whose own labels do not
 * contradict `m`, each with its labels set (`label_replace`) and filtered by the matchers on the
 * labels its expression produces (a rule computing for a list of services is skipped when `m`
 * selects none of them). `rec{m}[R]` becomes the subquery `(…)[R:I]`, I the interval of
 * the rule's group: the samples the rule would have written.
 */
import { parser } from "@prometheus-io/lezer-promql";
import { matcherAccepts, unquote, type LabelMatcher, type MatchOp } from "../catalog/matchers";
import { formatDuration } from "../catalog/units";
import type { RecordingRule, RuleGroup } from "./model";
import { JOB_LABEL, LABEL } from "../conventions";

/** Prometheus' default lookback: how far back an instant selector finds its latest sample. */
const LOOKBACK = "5m";
/** A label no catalog uses, set on the series a regex matcher keeps and removed right after. */
const KEEP_LABEL = "ops_monitoring_backtest_keep";

type SyntaxNode = ReturnType<ReturnType<typeof parser.parse>["resolve"]>;

interface Selector {
  metric?: string;
  matchers: LabelMatcher[];
}

/** The value of a string literal of an expression that already parsed as PromQL. */
function stringValue(literal: string): string {
  const value = unquote(literal);
  if (value === undefined) throw new Error(`malformed PromQL string ${literal}`);
  return value;
}

const str = (s: string) => JSON.stringify(s);

/** RE2 `QuoteMeta`: `value` as a regex matching exactly itself. */
function quoteMeta(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

function readSelector(expr: string, node: SyntaxNode): Selector {
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  const matchers: LabelMatcher[] = [];
  let metric = node.getChild("Identifier") ? text(node.getChild("Identifier")!) : undefined;
  const list = node.getChild("LabelMatchers");
  for (const m of list ? children(list).filter((c) => c.name.endsWith("LabelMatcher")) : []) {
    const parts = children(m);
    const nameNode = parts[0];
    const name = nameNode.name === "QuotedLabelName" ? stringValue(text(nameNode)) : text(nameNode);
    const op = text(m.getChild("MatchOp")!) as MatchOp;
    const value = stringValue(text(parts[parts.length - 1]));
    if (name === "__name__" && op === "=" && metric === undefined) metric = value;
    else matchers.push({ name, op, value });
  }
  return { metric, matchers };
}

/** `expr` keeping only the series whose label `m.name` satisfies `m`, as a selector matcher would. */
function filtered(expr: string, m: LabelMatcher): string {
  const regex = m.op === "=" || m.op === "!=" ? quoteMeta(m.value) : m.value;
  const marked = `label_replace(${expr}, ${str(KEEP_LABEL)}, "1", ${str(m.name)}, ${str(regex)})`;
  const setOp = m.op === "=" || m.op === "=~" ? "and" : "unless";
  const kept = `${marked} ${setOp} on (${KEEP_LABEL}) label_replace(vector(1), ${str(KEEP_LABEL)}, "1", "", "")`;
  return `label_replace(${kept}, ${str(KEEP_LABEL)}, "", "", "")`;
}

/**
 * A shared rule's `expr` (series selected by `job=~"<job of each service>"`, in the order of
 * `services`, `service` taken from `job`) computing only for `selected`: the other jobs'
 * series would be filtered out after the aggregation by service anyway, so they need not be read.
 * Selectors of another shape are left as they are.
 */
function narrowJobs(expr: string, services: string[], selected: string[]): string {
  const keep = new Set(selected);
  const edits: Array<{ from: number; to: number; text: string }> = [];
  parser.parse(expr).iterate({
    enter: (ref) => {
      if (ref.name !== "UnquotedLabelMatcher") return true;
      const node = ref.node;
      const value = node.lastChild!;
      if (
        expr.slice(node.firstChild!.from, node.firstChild!.to) !== JOB_LABEL ||
        expr.slice(node.getChild("MatchOp")!.from, node.getChild("MatchOp")!.to) !== "=~"
      )
        return false;
      const jobs = stringValue(expr.slice(value.from, value.to)).split("|");
      if (jobs.length !== services.length) return false;
      edits.push({ from: value.from, to: value.to, text: str(jobs.filter((_, i) => keep.has(services[i])).join("|")) });
      return false;
    },
  });
  let out = expr;
  for (const e of edits.sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}

/** An expression with no series. */
const EMPTY = "(vector(0) < 0)";

export class RecordingRules {
  private readonly byRecord = new Map<string, Array<{ rule: RecordingRule; intervalMs: number }>>();

  constructor(groups: RuleGroup[]) {
    for (const g of groups) {
      for (const rule of g.rules) {
        if (rule.kind !== "record") continue;
        this.byRecord.set(rule.record, [...(this.byRecord.get(rule.record) ?? []), { rule, intervalMs: g.intervalMs }]);
      }
    }
  }

  /** `expr` with every recording rule it reads (directly or through other recording rules) computed inline. */
  expand(expr: string, expanding: ReadonlySet<string> = new Set()): string {
    const edits: Array<{ from: number; to: number; text: string }> = [];
    parser.parse(expr).iterate({
      enter: (ref) => {
        if (ref.name !== "VectorSelector") return true;
        const node = ref.node;
        const sel = readSelector(expr, node);
        const rules = sel.metric === undefined ? undefined : this.byRecord.get(sel.metric);
        if (!rules || expanding.has(sel.metric!)) return false;
        const inner = this.selectorExpansion(sel, rules, new Set([...expanding, sel.metric!]));
        const interval = formatDuration(rules.reduce((max, r) => Math.max(max, r.intervalMs), 0));
        const parent = node.parent;
        if (parent?.name === "MatrixSelector") {
          const range = expr.slice(parent.getChild("DurationExpr")!.from, parent.getChild("DurationExpr")!.to);
          edits.push({ from: parent.from, to: parent.to, text: `(${inner})[${range}:${interval}]` });
        } else if (parent?.name === "OffsetExpr" && parent.firstChild?.from === node.from) {
          edits.push({
            from: parent.from,
            to: parent.to,
            text: `last_over_time((${inner})[${LOOKBACK}:${interval}]${expr.slice(node.to, parent.to)})`,
          });
        } else {
          // After a bare group_left/group_right a parenthesis would read as its label list: give it an empty one.
          const afterGroupModifier = /\bgroup_(left|right)\s*$/.test(expr.slice(0, node.from));
          edits.push({ from: node.from, to: node.to, text: `${afterGroupModifier ? "() " : ""}(${inner})` });
        }
        return false;
      },
    });
    let out = expr;
    for (const e of edits.sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.text + out.slice(e.to);
    return out;
  }

  private selectorExpansion(
    sel: Selector,
    rules: Array<{ rule: RecordingRule }>,
    expanding: ReadonlySet<string>,
  ): string {
    const parts: string[] = [];
    for (const { rule } of rules) {
      const own = sel.matchers.filter((m) => m.name in rule.labels);
      if (!own.every((m) => matcherAccepts(m, rule.labels[m.name]))) continue;
      const serviceMatchers = sel.matchers.filter((m) => m.name === LABEL.service);
      const services = rule.services ?? [];
      const selected = services.filter((s) => serviceMatchers.every((m) => matcherAccepts(m, s)));
      if (services.length && !selected.length) continue;
      let e = this.expand(
        selected.length < services.length ? narrowJobs(rule.expr, services, selected) : rule.expr,
        expanding,
      );
      for (const [name, value] of Object.entries(rule.labels).sort(([a], [b]) => a.localeCompare(b)))
        e = `label_replace(${e}, ${str(name)}, ${str(value)}, "", "")`;
      for (const m of sel.matchers.filter((m) => !(m.name in rule.labels))) e = filtered(e, m);
      parts.push(e);
    }
    if (!parts.length) return EMPTY;
    return parts.length === 1 ? parts[0] : parts.map((p) => `(${p})`).join(" or ");
  }
}

/** The vector selectors `expr` reads (also those inside range selectors), each once, in order. */
export function vectorSelectors(expr: string): string[] {
  const out = new Set<string>();
  parser.parse(expr).iterate({
    enter: (ref) => {
      if (ref.name !== "VectorSelector") return true;
      out.add(expr.slice(ref.from, ref.to));
      return false;
    },
  });
  return [...out];
}
