import { parser } from "@prometheus-io/lezer-promql";

/** Undefined when `expr` parses as PromQL, else a message pointing at the first error. */
export function promqlError(expr: string): string | undefined {
  let at = -1;
  parser.parse(expr).iterate({
    enter: (node) => {
      if (at < 0 && node.type.isError) at = node.from;
      return at < 0;
    },
  });
  if (at < 0) return undefined;
  const near = expr.slice(Math.max(0, at - 10), at + 10);
  return `PromQL does not parse at character ${at + 1} (near "${near}")`;
}

/** Undefined when `matchers` (without braces) parse as a label-matcher list. */
export function selectorError(matchers: string): string | undefined {
  if (matchers.trim() === "") return "selector is empty";
  return promqlError(`{${matchers}}`);
}

const MATCHER_RE = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!=|!~|=)\s*"((?:[^"\\]|\\.)*)"\s*,?/y;

/** `job="web", env=~"prod"` → [{name, op, value}]; undefined when not a plain matcher list. */
export function parseMatchers(matchers: string): Array<{ name: string; op: string; value: string }> | undefined {
  const out: Array<{ name: string; op: string; value: string }> = [];
  MATCHER_RE.lastIndex = 0;
  while (MATCHER_RE.lastIndex < matchers.length) {
    const m = MATCHER_RE.exec(matchers);
    if (!m) return matchers.slice(MATCHER_RE.lastIndex).trim() === "" ? out : undefined;
    out.push({ name: m[1], op: m[2], value: JSON.parse(`"${m[3]}"`) });
  }
  return out;
}
