import { parser } from "@prometheus-io/lezer-promql";
import { re2FullMatch } from "../../catalog/re2";

/** Every PromQL-identifier-like token of `text`: alert names, recorded metric names, labels. */
export const names = (text: string) => new Set(text.match(/[A-Za-z_:][\w:]*/g));

/**
 * The names `seed` mentions, grown by the names in the text of every rule it names, until no
 * rule adds one: the rules a test or query reads, and the recording rules those read, transitively.
 */
export function namesRead<R>(
  rules: R[],
  seed: string,
  nameOf: (r: R) => string,
  textOf: (r: R) => string,
): Set<string> {
  const needed = names(seed);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rules.filter((r) => needed.has(nameOf(r))))
      for (const n of names(textOf(r)))
        if (!needed.has(n)) {
          needed.add(n);
          grew = true;
        }
  }
  return needed;
}

/** A recording rule as the closure below reads it: the name it records, its PromQL, its static labels. */
export interface Recording {
  record?: string;
  expr: string;
  labels?: Record<string, string>;
}

/** The label matchers of one selector; undefined when one is not understood here (then it may select anything). */
type Matchers = Array<{ label: string; op: string; value: string }> | undefined;

/** Every vector selector of `expr` by the metric name it names; `undefined` holds the selectors without one. */
function selectors(expr: string): Map<string | undefined, Matchers[]> | undefined {
  const out = new Map<string | undefined, Matchers[]>();
  let understood = true;
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) understood = false;
      if (node.name !== "VectorSelector") return true;
      const name = node.node.getChild("Identifier");
      let matchers: Matchers = [];
      for (const m of node.node.getChild("LabelMatchers")?.getChildren("UnquotedLabelMatcher") ?? []) {
        const label = m.getChild("LabelName");
        const op = m.getChild("MatchOp");
        const value = m.getChild("StringLiteral");
        const text = value && expr.slice(value.from, value.to);
        if (!label || !op || !text?.startsWith('"')) matchers = undefined;
        else
          matchers?.push({
            label: expr.slice(label.from, label.to),
            op: expr.slice(op.from, op.to),
            value: JSON.parse(text) as string,
          });
      }
      const key = name ? expr.slice(name.from, name.to) : undefined;
      out.set(key, [...(out.get(key) ?? []), matchers]);
      return true;
    },
  });
  return understood ? out : undefined;
}

/** Whether a selector with `matchers` can select a series recorded with the static `labels`. */
function canSelect(matchers: Matchers, labels: Record<string, string> = {}): boolean {
  return (matchers ?? []).every(({ label, op, value }) => {
    const v = labels[label];
    if (v === undefined) return true;
    if (op === "=") return v === value;
    if (op === "!=") return v !== value;
    if (op === "=~") return re2FullMatch(value, v);
    if (op === "!~") return !re2FullMatch(value, v);
    return true;
  });
}

/**
 * The recording rules of `pool` whose series `exprs` (PromQL) can read, and those their own
 * expressions can read, transitively; `pool` order kept. Finer than `namesRead`: a rule is left
 * out when every selector of its name has a matcher its static labels contradict (a recorded
 * series always carries the rule's labels: `slo:sli_error:ratio_rate5m{slo="latency"}` never reads
 * the availability SLO's rule of that name). A name mentioned any other way (in a string, a
 * selector without a metric name, PromQL this parser does not take) reads every rule of that name.
 */
export function recordsRead<R extends Recording>(pool: R[], exprs: string[]): R[] {
  const read = new Set<R>();
  const reads = (expr: string) => {
    const found = selectors(expr);
    const mentioned = expr.match(/[A-Za-z_:][\w:]*/g) ?? [];
    return (r: R) => {
      const times = mentioned.filter((n) => n === r.record).length;
      if (!times) return false;
      const named = found?.get(r.record);
      if (!found || found.has(undefined) || (named?.length ?? 0) < times) return true;
      return named!.some((m) => canSelect(m, r.labels));
    };
  };
  const queue = [...exprs];
  for (let expr = queue.shift(); expr !== undefined; expr = queue.shift()) {
    const test = reads(expr);
    for (const r of pool)
      if (!read.has(r) && test(r)) {
        read.add(r);
        queue.push(r.expr);
      }
  }
  return pool.filter((r) => read.has(r));
}
