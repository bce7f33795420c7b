/**
 * A Grafana-managed rule, as `plan --json` registers it, rewritten as the Prometheus rule that
 * evaluates the same way, so promtool can run it on a Prometheus twin's test series. Written
 * from Grafana's source, not from this project's generator: each step says which file it
 * follows. Anything it does not understand is refused with the rule's title, never skipped.
 *
 * - Query (a data source `datasourceUid`): an instant PromQL query (`model.instant`, not
 *   `model.range`, `relativeTimeRange.to` 0), evaluated at the evaluation time as Prometheus
 *   evaluates a rule; each series is a Number with the series' labels.
 * - `math` (pkg/expr/mathexp/exp.go `binaryOp`): comparisons give 1/0 and NaN when an operand
 *   is NaN; `a || b` is 1 when a ≠ 0 (NaN included), else NaN when b is NaN, else b ≠ 0;
 *   `a && b` is 0 when a = 0, else NaN when either is NaN, else b ≠ 0; `+ - * / %` as in Go.
 *   Functions (pkg/expr/mathexp/funcs.go): `is_number`, `is_nan`, `is_inf` (1/0, never NaN),
 *   `abs`, `log` (natural), `ceil`, `floor`. Operands of two different queries (Grafana's label
 *   union) and unary operators are refused.
 * - `threshold` (pkg/expr/threshold.go): exactly one condition, 1 where the predicate holds
 *   (`gt`, `lt`, `eq`, `ne`, `gte`, `lte`, `within_range` and `outside_range` exclusive,
 *   `*_included` inclusive), else 0; a recovery threshold (`unloadEvaluator`) is refused.
 * - `reduce` (pkg/expr/commands.go `ReduceCommand.Execute`): an instant query's Numbers are
 *   passed through unchanged whatever the reducer (mode `strict` or none); `dropNN` and
 *   `replaceNN` are refused.
 * - Condition (pkg/services/ngalert/eval/eval.go `evaluateExecutionResult`): 0 is Normal,
 *   anything else — NaN included — is Alerting: the alert fires for the series `!= 0` keeps.
 * - `for` (pkg/services/ngalert/state/state.go `resultAlerting`): Pending until
 *   `EvaluatedAt − StartsAt ≥ For`, as Prometheus' `for`; `keepFiringFor` as `keep_firing_for`.
 * - No data (eval.go: a query without series makes the whole result NoData; state/manager.go
 *   `setNextStateForRule` applies it to every current state of the rule): `OK` resets every
 *   instance, as an empty Prometheus result does; `KeepLast` (state.go `resultKeepLast`) keeps
 *   every instance's state and lets a Pending one fire once its `for` has passed — its own
 *   `ALERTS` series (pending or firing) stand in for the states while the query is empty;
 *   `Alerting` raises one instance labelled `datasource_uid`/`ref_id` (eval.go) when the rule
 *   has none yet.
 * - A series missing from a non-empty result resolves at that evaluation only with
 *   `missingSeriesEvalsToResolve: 1` (Grafana ≥ 12.0); older versions resolve it when stale
 *   (state/manager.go `stateIsStale`: two intervals), which is not translated: refused.
 * - `execErrState` is not translated: promtool's queries never fail.
 *
 * Mapping: Grafana's `alertname` is the title `<alert> (<id>)`; the translated rule is named by
 * the `alert` label every rule carries, so the twin's tests name it as they name the Prometheus
 * rule. Labels Grafana adds when it sends (`grafana_folder`, `__alert_rule_uid__`) are routing
 * facts (test/contract/notification-parity.test.ts), not evaluation: not added.
 */

/** A `data[]` entry of a planned rule. */
export interface PlannedQuery {
  refId: string;
  datasourceUid: string;
  relativeTimeRange: { from: number; to: number };
  /** JSON. */
  model: string;
}

/** A rule of a planned `grafana:alerting/ruleGroup:RuleGroup`, as `plan --json` prints it. */
export interface PlannedRule {
  name: string;
  uid?: string;
  datas: PlannedQuery[];
  labels?: Record<string, string>;
  condition?: string;
  for?: string;
  keepFiringFor?: string;
  noDataState?: string;
  execErrState?: string;
  missingSeriesEvalsToResolve?: number;
  record?: { metric: string; from: string; targetDatasourceUid?: string };
}

/** The Prometheus rule-file form of a translated rule. */
export interface PromRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  labels?: Record<string, string>;
}

export class NotTranslated extends Error {
  constructor(
    readonly rule: string,
    reason: string,
  ) {
    super(`${rule}: ${reason}`);
  }
}

/** A translated step: its PromQL, whether it can be NaN, and the one query its series come from. */
interface Step {
  q: string;
  nan: boolean;
  /** Query refId of a vector; undefined for a scalar literal. */
  from?: string;
}

type Model = Record<string, unknown>;

const THRESHOLD: Record<string, (x: string, p: number[]) => string> = {
  gt: (x, [v]) => `(${x}) > bool ${v}`,
  lt: (x, [v]) => `(${x}) < bool ${v}`,
  eq: (x, [v]) => `(${x}) == bool ${v}`,
  ne: (x, [v]) => `(${x}) != bool ${v}`,
  gte: (x, [v]) => `(${x}) >= bool ${v}`,
  lte: (x, [v]) => `(${x}) <= bool ${v}`,
  within_range: (x, [l, r]) => `((${x}) > bool ${l}) * ((${x}) < bool ${r})`,
  outside_range: (x, [l, r]) => `(((${x}) < bool ${l}) + ((${x}) > bool ${r})) > bool 0`,
  within_range_included: (x, [l, r]) => `((${x}) >= bool ${l}) * ((${x}) <= bool ${r})`,
  outside_range_included: (x, [l, r]) => `(((${x}) <= bool ${l}) + ((${x}) >= bool ${r})) > bool 0`,
};
const RANGE_ARGS: Record<string, number> = {
  within_range: 2,
  outside_range: 2,
  within_range_included: 2,
  outside_range_included: 2,
};

/** 0 where `s` is a number, NaN where it is NaN: added to a comparison, NaN propagates as in Grafana. */
const nanOf = (s: Step) => (s.nan ? ` + 0 / ((${s.q}) == bool (${s.q}))` : "");

// ---- math expressions (pkg/expr/mathexp/parse) ----

type Token = { kind: "var" | "num" | "ident" | "op" | "(" | ")" | ","; text: string };

function tokens(text: string, fail: (why: string) => never): Token[] {
  const out: Token[] = [];
  const re =
    /\s*(?:\$\{([A-Za-z0-9_]+)\}|\$([A-Za-z0-9_]+)|(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([A-Za-z_]\w*)|(\|\||&&|==|!=|>=|<=|\*\*|[-+*/%<>!])|([(),]))/y;
  let i = 0;
  while (i < text.length) {
    if (/^\s*$/.test(text.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) fail(`math expression ${JSON.stringify(text)}: cannot read ${JSON.stringify(text.slice(i))}`);
    i = re.lastIndex;
    if (m[1] ?? m[2]) out.push({ kind: "var", text: m[1] ?? m[2] });
    else if (m[3]) out.push({ kind: "num", text: m[3] });
    else if (m[4]) out.push({ kind: "ident", text: m[4] });
    else if (m[5]) out.push({ kind: "op", text: m[5] });
    else out.push({ kind: m[6] as "(" | ")" | ",", text: m[6] });
  }
  return out;
}

const COMPARISONS = new Set(["==", "!=", ">", ">=", "<", "<="]);

/** Translates a math expression; `ref` resolves `$X`. Precedence as in Grafana's parser: `||` < `&&` < comparisons < `+ -` < `* / %`. */
function translateMath(text: string, ref: (name: string) => Step, fail: (why: string) => never): Step {
  const toks = tokens(text, fail);
  let pos = 0;
  const peek = () => toks[pos];
  const take = () => toks[pos++];
  const expectClose = () => {
    if (take()?.kind !== ")") fail(`math expression ${JSON.stringify(text)}: missing ")"`);
  };
  const vectorPair = (l: Step, r: Step, op: string) => {
    if (l.from !== undefined && r.from !== undefined && l.from !== r.from)
      fail(`math ${op} between $${l.from} and $${r.from} (Grafana's label union of two queries) is not translated`);
    return l.from ?? r.from;
  };
  const level = (ops: string[], next: () => Step, combine: (op: string, l: Step, r: Step) => Step) => () => {
    let l = next();
    while (peek()?.kind === "op" && ops.includes(peek().text)) {
      const op = take().text;
      l = combine(op, l, next());
    }
    return l;
  };
  const primary = (): Step => {
    const t = take();
    if (!t) fail(`math expression ${JSON.stringify(text)} ends early`);
    if (t.kind === "var") return ref(t.text);
    if (t.kind === "num") return { q: t.text, nan: false };
    if (t.kind === "(") {
      const inner = or();
      expectClose();
      return inner;
    }
    if (t.kind === "ident") {
      if (take()?.kind !== "(") fail(`math expression ${JSON.stringify(text)}: ${t.text} is not a function call`);
      const arg = or();
      if (peek()?.kind === ",") fail(`math function ${t.text} with several arguments is not translated`);
      expectClose();
      if (arg.from === undefined) fail(`math function ${t.text} of a number is not translated`);
      const x = arg.q;
      switch (t.text) {
        case "is_nan":
          return { q: `(${x}) != bool (${x})`, nan: false, from: arg.from };
        case "is_inf":
          return { q: `abs(${x}) == bool +Inf`, nan: false, from: arg.from };
        case "is_number":
          return { q: `((${x}) == bool (${x})) * (abs(${x}) != bool +Inf)`, nan: false, from: arg.from };
        case "abs":
        case "ceil":
        case "floor":
          return { q: `${t.text}(${x})`, nan: arg.nan, from: arg.from };
        case "log":
          return { q: `ln(${x})`, nan: true, from: arg.from };
        default:
          fail(`math function ${t.text} is not translated`);
      }
    }
    fail(
      `math expression ${JSON.stringify(text)}: unexpected ${JSON.stringify(t.text)} (unary operators are not translated)`,
    );
  };
  const multiplicative = level(["*", "/", "%"], primary, (op, l, r) => ({
    q: `(${l.q}) ${op} (${r.q})`,
    nan: true,
    from: vectorPair(l, r, op),
  }));
  const additive = level(["+", "-"], multiplicative, (op, l, r) => ({
    q: `(${l.q}) ${op} (${r.q})`,
    nan: l.from !== undefined || r.from !== undefined || l.nan || r.nan,
    from: vectorPair(l, r, op),
  }));
  const comparison = level([...COMPARISONS], additive, (op, l, r) => ({
    q: `((${l.q}) ${op} bool (${r.q}))${nanOf(l)}${nanOf(r)}`,
    nan: l.nan || r.nan,
    from: vectorPair(l, r, op),
  }));
  const and = level(["&&"], comparison, (op, l, r) => {
    if (l.nan || r.nan) fail(`math && of a value that can be NaN is not translated`);
    return { q: `((${l.q}) != bool 0) * ((${r.q}) != bool 0)`, nan: false, from: vectorPair(l, r, op) };
  });
  const or: () => Step = level(["||"], and, (op, l, r) => {
    if (r.nan) fail(`math || whose right side can be NaN is not translated`);
    return { q: `(((${l.q}) != bool 0) + ((${r.q}) != bool 0)) > bool 0`, nan: false, from: vectorPair(l, r, op) };
  });
  const result = or();
  if (pos < toks.length) fail(`math expression ${JSON.stringify(text)}: unexpected ${JSON.stringify(toks[pos].text)}`);
  return result;
}

// ---- rules ----

export interface TranslateOptions {
  /** The data source whose series the twin's tests hold (the Prometheus the rules query). */
  datasourceUid: string;
  /**
   * Names the query's result is recorded under, so an alert's expression reads it instead of
   * repeating the query at every `$A` (`translateRule` then returns that recording rule first).
   */
  queryName?: (refId: string) => string;
  /**
   * Label names other rules with the same `alert` label carry (an escalated copy's `escalation`),
   * so a KeepLast rule reads only its own `ALERTS` series.
   */
  siblingLabels?: string[];
}

/** The PromQL of `refId` in `rule`'s chain of queries and expressions. */
function translateChain(rule: PlannedRule, refId: string, o: TranslateOptions): { step: Step; query: PlannedQuery } {
  const fail = (why: string): never => {
    throw new NotTranslated(rule.name, why);
  };
  const byRef = new Map(rule.datas.map((d) => [d.refId, d]));
  const memo = new Map<string, Step>();
  let query: PlannedQuery | undefined;
  const visit = (ref: string, seen: string[]): Step => {
    const known = memo.get(ref);
    if (known) return known;
    if (seen.includes(ref)) fail(`refId ${ref} refers to itself`);
    const d = byRef.get(ref) ?? fail(`refId ${ref} is not in data[]`);
    let model: Model;
    try {
      model = JSON.parse(d.model) as Model;
    } catch {
      return fail(`refId ${ref}: model is not JSON`);
    }
    let step: Step;
    if (d.datasourceUid !== "__expr__") {
      if (query && query.refId !== ref) fail(`several queries (${query.refId}, ${ref}) are not translated`);
      if (d.datasourceUid !== o.datasourceUid)
        fail(
          `refId ${ref} queries data source ${d.datasourceUid}, whose series the Prometheus twin's tests do not hold`,
        );
      if (model.instant !== true || model.range === true || d.relativeTimeRange.to !== 0)
        fail(`refId ${ref} is not an instant query ending at the evaluation time`);
      if (typeof model.expr !== "string" || !model.expr) fail(`refId ${ref} has no PromQL expr`);
      query = d;
      step = { q: o.queryName ? o.queryName(ref) : (model.expr as string), nan: true, from: ref };
    } else {
      const type = model.type;
      const input = (name: unknown) => {
        if (typeof name !== "string") return fail(`${String(type)} step ${ref} names no input`);
        return visit(name.replace(/^\$\{?|\}$/g, ""), [...seen, ref]);
      };
      switch (type) {
        case "math":
          if (typeof model.expression !== "string") return fail(`math step ${ref} has no expression`);
          step = translateMath(
            model.expression,
            (name) => visit(name, [...seen, ref]),
            (why) => fail(`math step ${ref}: ${why}`),
          );
          break;
        case "threshold": {
          const conditions = model.conditions as Array<{
            evaluator?: { type?: string; params?: number[] };
            unloadEvaluator?: unknown;
          }>;
          if (!Array.isArray(conditions) || conditions.length !== 1)
            fail(
              `threshold step ${ref} has ${Array.isArray(conditions) ? conditions.length : 0} conditions, Grafana reads exactly one`,
            );
          const [c] = conditions;
          if (c.unloadEvaluator !== undefined)
            fail(`threshold step ${ref} has a recovery threshold, which is not translated`);
          const kind = c.evaluator?.type ?? "";
          const params = c.evaluator?.params ?? [];
          const render =
            THRESHOLD[kind] ?? fail(`threshold step ${ref}: evaluator type ${JSON.stringify(kind)} is not translated`);
          if (params.length < (RANGE_ARGS[kind] ?? 1) || !params.every((p) => Number.isFinite(p)))
            fail(
              `threshold step ${ref}: ${kind} needs ${RANGE_ARGS[kind] ?? 1} finite params, has ${JSON.stringify(params)}`,
            );
          const x = input(model.expression);
          step = { q: render(x.q, params), nan: false, from: x.from };
          break;
        }
        case "reduce": {
          const mode = (model.settings as { mode?: string } | undefined)?.mode ?? "";
          if (mode !== "" && mode !== "strict") fail(`reduce step ${ref}: mode ${mode} is not translated`);
          step = input(model.expression);
          break;
        }
        default:
          return fail(`expression type ${JSON.stringify(type)} (step ${ref}) is not translated`);
      }
    }
    memo.set(ref, step);
    return step;
  };
  const step = visit(refId, []);
  return { step, query: query ?? fail(`no query feeds ${refId}`) };
}

const quote = (v: string) => JSON.stringify(v);

/**
 * `rule` as the Prometheus rules that evaluate the same way: for an alert, a recording rule of its
 * query (evaluated just before it in the same group, at the same time) and the alert reading it;
 * throws `NotTranslated` naming the rule.
 */
export function translateRule(rule: PlannedRule, o: TranslateOptions): PromRule[] {
  const fail = (why: string): never => {
    throw new NotTranslated(rule.name, why);
  };
  const labels = rule.labels ?? {};
  for (const [k, v] of Object.entries(labels))
    if (v.includes("{{")) fail(`label ${k} is a template, which is not translated`);
  if (rule.record) {
    const { step } = translateChain(rule, rule.record.from, { ...o, queryName: undefined });
    return [{ record: rule.record.metric, expr: step.q, ...(Object.keys(labels).length ? { labels } : {}) }];
  }
  if (!rule.condition) return fail("neither a condition nor a record");
  const alert = labels.alert ?? fail("has no alert label to name it by");
  if (!rule.name.startsWith(`${alert} (`)) fail(`title does not start with its alert label ${alert}`);
  if (rule.missingSeriesEvalsToResolve !== 1)
    fail(
      `missingSeriesEvalsToResolve is ${rule.missingSeriesEvalsToResolve ?? "unset"}: resolving a missing series only when stale (two intervals, before Grafana 12.0) is not translated`,
    );
  const slug = (rule.uid ?? rule.name).replace(/[^A-Za-z0-9_]+/g, "_");
  const queryName = (ref: string) => `grafana_twin:${slug}:${ref}`;
  const { step, query } = translateChain(rule, rule.condition, { ...o, queryName });
  const a = { expr: queryName(query.refId) };
  const recorded: PromRule = { record: a.expr, expr: (JSON.parse(query.model) as { expr: string }).expr };
  let expr = `(${step.q}) != 0`;
  switch (rule.noDataState ?? "NoData") {
    case "OK":
      break;
    case "KeepLast": {
      const own = [
        `alertname=${quote(alert)}`,
        `alertstate=~"pending|firing"`,
        ...Object.entries(labels)
          .filter(([k]) => k !== "alert")
          .map(([k, v]) => `${k}=${quote(v)}`),
        ...(o.siblingLabels ?? []).filter((k) => !(k in labels)).map((k) => `${k}=""`),
      ].join(", ");
      const states = `label_replace(label_replace(ALERTS{${own}}, "alertname", "", "", ""), "alertstate", "", "", "")`;
      expr = `${expr} or (${states} unless on () (${a.expr}))`;
      break;
    }
    case "Alerting": {
      const noData = `label_replace(label_replace(vector(1), "datasource_uid", ${quote(query.datasourceUid)}, "", ""), "ref_id", ${quote(query.refId)}, "", "")`;
      expr = `${expr} or (${noData} unless on () (${a.expr}))`;
      break;
    }
    default:
      fail(`noDataState ${rule.noDataState ?? "unset (NoData)"} is not translated`);
  }
  return [
    recorded,
    {
      alert,
      expr,
      ...(rule.for && rule.for !== "0s" ? { for: rule.for } : {}),
      ...(rule.keepFiringFor && rule.keepFiringFor !== "0s" ? { keep_firing_for: rule.keepFiringFor } : {}),
      labels,
    },
  ];
}
