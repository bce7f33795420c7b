/**
 * The value type of a PromQL expression (Prometheus' parser checks these; the lezer grammar
 * does not): an alerting rule must yield an instant vector or a scalar — `up[5m]` or a string
 * would load and then fail at every evaluation — and range functions need a range vector.
 */
import { parser } from "@prometheus-io/lezer-promql";

type ValueType = "scalar" | "vector" | "matrix" | "string";
type Node = NonNullable<ReturnType<typeof parser.parse>["topNode"]["firstChild"]>;

/** Functions whose argument at the given position is a range vector (Prometheus `promql/parser/functions.go`). */
const RANGE_ARG = new Map<string, number>([
  ...[
    "rate",
    "irate",
    "increase",
    "delta",
    "idelta",
    "deriv",
    "predict_linear",
    "resets",
    "changes",
    "holt_winters",
    "double_exponential_smoothing",
    "avg_over_time",
    "min_over_time",
    "max_over_time",
    "sum_over_time",
    "count_over_time",
    "stddev_over_time",
    "stdvar_over_time",
    "last_over_time",
    "present_over_time",
    "absent_over_time",
    "mad_over_time",
    "ts_of_min_over_time",
    "ts_of_max_over_time",
    "ts_of_last_over_time",
    "first_over_time",
    "ts_of_first_over_time",
  ].map((f): [string, number] => [f, 0]),
  ["quantile_over_time", 1],
]);
const SCALAR_FUNCTIONS = new Set(["scalar", "time", "pi"]);

class TypeProblem extends Error {}

/** Whether `expr` (valid PromQL) yields a scalar, e.g. `1` or `time() - 5`. */
export function yieldsScalar(expr: string): boolean {
  const top = parser.parse(expr).topNode.firstChild;
  try {
    return top !== null && typeOf(top, expr) === "scalar";
  } catch (e) {
    if (e instanceof TypeProblem) return false;
    throw e;
  }
}

/** Undefined when `expr` (parsing PromQL) yields an instant vector or scalar, else why not. */
export function promqlResultError(expr: string): string | undefined {
  const top = parser.parse(expr).topNode.firstChild;
  if (!top) return undefined;
  try {
    const type = typeOf(top, expr);
    if (type === "matrix")
      return "yields a range vector (like up[5m]); an alert needs an instant vector, e.g. max_over_time(up[5m])";
    if (type === "string") return "yields a string; an alert needs an instant vector";
    return undefined;
  } catch (e) {
    if (e instanceof TypeProblem) return e.message;
    throw e;
  }
}

function children(node: Node): Node[] {
  const out: Node[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

const EXPRESSIONS = new Set([
  "ParenExpr",
  "NumberDurationLiteral",
  "StringLiteral",
  "VectorSelector",
  "MatrixSelector",
  "SubqueryExpr",
  "UnaryExpr",
  "BinaryExpr",
  "AggregateExpr",
  "FunctionCall",
  "OffsetExpr",
  "StepInvariantExpr",
]);
const expressions = (node: Node) => children(node).filter((c) => EXPRESSIONS.has(c.name));

function typeOf(node: Node, src: string): ValueType {
  switch (node.name) {
    case "NumberDurationLiteral":
      return "scalar";
    case "StringLiteral":
      return "string";
    case "VectorSelector":
      return "vector";
    case "MatrixSelector":
    case "SubqueryExpr":
      return "matrix";
    case "ParenExpr":
    case "UnaryExpr":
    case "OffsetExpr":
    case "StepInvariantExpr": {
      const [inner] = expressions(node);
      return inner ? typeOf(inner, src) : "vector";
    }
    case "BinaryExpr": {
      const types = expressions(node).map((c) => typeOf(c, src));
      if (types.some((t) => t === "matrix" || t === "string"))
        throw new TypeProblem(
          `the binary operator at character ${node.from + 1} takes scalars and instant vectors, not a ${types.includes("matrix") ? "range vector" : "string"}`,
        );
      return types.includes("vector") ? "vector" : "scalar";
    }
    case "AggregateExpr": {
      const body = node.getChild("FunctionCallBody");
      const args = body ? expressions(body) : [];
      const vectorArg = args[args.length - 1];
      if (vectorArg && typeOf(vectorArg, src) !== "vector")
        throw new TypeProblem(`the aggregation at character ${node.from + 1} needs an instant vector`);
      return "vector";
    }
    case "FunctionCall": {
      const nameNode = node.getChild("FunctionIdentifier");
      const name = nameNode ? src.slice(nameNode.from, nameNode.to) : "";
      const body = node.getChild("FunctionCallBody");
      const args = body ? expressions(body) : [];
      const rangeAt = RANGE_ARG.get(name);
      args.forEach((arg, i) => {
        const t = typeOf(arg, src);
        if (i === rangeAt && t !== "matrix")
          throw new TypeProblem(`${name}() needs a range vector like metric[5m] as argument ${i + 1}`);
        if (i !== rangeAt && t === "matrix")
          throw new TypeProblem(`${name}() takes no range vector as argument ${i + 1}`);
      });
      return SCALAR_FUNCTIONS.has(name) ? "scalar" : "vector";
    }
    default:
      return "vector";
  }
}
