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
