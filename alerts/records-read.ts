/**
 * The recording rules a PromQL expression can read, transitively, judged by its selectors: the
 * generated rule tests and the test suite's Grafana twin load only these. A recorded series always
 * carries its rule's static labels, so a rule is left out when every selector of its name has a
 * matcher those labels contradict (`slo:sli_error:ratio_rate5m{slo="latency"}` never reads the
 * availability SLO's rule of that name). A name mentioned any other way (in a string, more often
 * than selectors name it, in PromQL this parser does not take) reads every rule of that name; a
 * selector without a metric name (`{job="x"}`, `{__name__=~"…"}`) reads every rule its matchers do
 * not contradict.
 */
import { parser } from "@prometheus-io/lezer-promql";
import { re2FullMatch } from "../catalog/re2";

/** A recording rule as read here: the name it records, its PromQL, its static labels. */
export interface Recording {
  record?: string;
  expr: string;
  labels?: Record<string, string>;
}

/** The label matchers of one selector; undefined when one is not understood here (then it may select anything). */
type Matchers = Array<{ label: string; op: string; value: string }> | undefined;

interface Reads {
  /** How often each identifier-like token occurs. */
  mentioned: Map<string, number>;
  /** Whether a selector may name no metric (`{job="x"}`, `__name__`): then every rule may be read. */
  anyName: boolean;
  /** Every vector selector by the metric name it names; undefined when the PromQL does not parse. Parsed on first use. */
  selectors?: Map<string | undefined, Matchers[]> | undefined;
  parsed: boolean;
}

/** Each expression's tokens and selectors, worked out once for every call that passes the same cache. */
export type ReadsCache = Map<string, Reads>;

function readsOf(expr: string, cache: ReadsCache): Reads {
  let reads = cache.get(expr);
  if (!reads) {
    const mentioned = new Map<string, number>();
    for (const n of expr.match(/[A-Za-z_:][\w:]*/g) ?? []) mentioned.set(n, (mentioned.get(n) ?? 0) + 1);
    reads = { mentioned, anyName: expr.includes("__name__") || /(^|[^\w:\s])\s*\{/.test(expr), parsed: false };
    cache.set(expr, reads);
  }
  return reads;
}

function selectorsOf(expr: string, reads: Reads): Reads["selectors"] {
  if (!reads.parsed) {
    reads.selectors = selectors(expr);
    reads.parsed = true;
  }
  return reads.selectors;
}

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

/** Whether a selector with `matchers` can select a series `rule` records (its name and static labels). */
function canSelect(matchers: Matchers, rule: Recording): boolean {
  return (matchers ?? []).every(({ label, op, value }) => {
    const v = label === "__name__" ? rule.record : rule.labels?.[label];
    if (v === undefined) return true;
    if (op === "=") return v === value;
    if (op === "!=") return v !== value;
    if (op === "=~") return re2FullMatch(value, v);
    if (op === "!~") return !re2FullMatch(value, v);
    return true;
  });
}

/** The rules of `pool` that `exprs` can read, and those their own expressions can read, transitively; `pool` order kept. */
export function recordsRead<R extends Recording>(pool: R[], exprs: string[], cache: ReadsCache = new Map()): R[] {
  const read = new Set<R>();
  const reads = (expr: string) => {
    const r = readsOf(expr, cache);
    return (rule: R) => {
      const times = rule.record === undefined ? 0 : (r.mentioned.get(rule.record) ?? 0);
      if (!times && !r.anyName) return false;
      const found = selectorsOf(expr, r);
      if (!found || found.get(undefined)?.some((m) => canSelect(m, rule))) return true;
      if (!times) return false;
      const named = found.get(rule.record);
      if ((named?.length ?? 0) < times) return true;
      return named!.some((m) => canSelect(m, rule));
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
