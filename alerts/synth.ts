/**
 * Synthetic input series for generated promtool tests: label sets that do (or do not)
 * satisfy a selector, so a rule can be shown to fire on matching data and stay quiet otherwise.
 */
import { matcherAccepts, parseMatcherList, type LabelMatcher } from "../catalog/matchers";

const CANDIDATES = ["500", "503", "error", "timeout", "200", "ok", "x", "1"];

function parsed(matchers: string): LabelMatcher[] | undefined {
  const result = parseMatcherList(matchers);
  return "error" in result ? undefined : result.matchers;
}

/** Labels satisfying every matcher, or undefined when none can be found. */
export function labelsMatching(matchers: string): Record<string, string> | undefined {
  const list = parsed(matchers);
  if (!list) return undefined;
  const out: Record<string, string> = {};
  for (const m of list) {
    if (matcherAccepts(m, "")) continue;
    const candidates = m.op === "=" ? [m.value] : m.op === "=~" ? [m.value, ...CANDIDATES] : CANDIDATES;
    const value = candidates.find((c) => c !== "" && matcherAccepts(m, c));
    if (value === undefined) return undefined;
    out[m.name] = value;
  }
  return out;
}

/** Labels violating a single-matcher expression (e.g. a success series for an error matcher). */
export function labelsNotMatching(matcher: string): Record<string, string> | undefined {
  const list = parsed(matcher);
  if (!list || list.length !== 1) return undefined;
  const [m] = list;
  if (!matcherAccepts(m, "")) return {};
  const value = CANDIDATES.find((c) => !matcherAccepts(m, c));
  return value === undefined ? undefined : { [m.name]: value };
}

/** `metric{a="1", b="2"}` in promtool's series notation. */
export function series(metric: string, ...labelSets: Array<Record<string, string> | undefined>): string {
  const labels = Object.assign({}, ...labelSets) as Record<string, string>;
  const body = Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(", ");
  return `${metric}{${body}}`;
}

/** A counter growing by `perStep` each sample, `steps` samples: promtool's `0+Nx<steps>`. */
export function counter(perStep: number, steps: number): string {
  return `0+${perStep}x${steps}`;
}

/** A constant gauge over `steps` samples. */
export function gauge(value: number, steps: number): string {
  return `${value}x${steps}`;
}

/**
 * A percentage as the catalog writes it (`"99.95%"`, or a ratio printed by `formatPercent`) as
 * an exact fraction with a power-of-ten denominator (9995 / 10000), so test series can sit
 * exactly on the bound: `num * k` of `den * k` is the same double as the bound itself.
 */
export function percentFraction(text: string): { num: number; den: number } | undefined {
  const m = /^(\d+)(?:\.(\d+))?%$/.exec(text.trim());
  if (!m) return undefined;
  const decimals = m[2] ?? "";
  return { num: Number(m[1] + decimals), den: 100 * 10 ** decimals.length };
}

/** The first test evaluation (every `intervalMs` from 0s) at or after `ms`. */
export function firstEvalAt(ms: number, intervalMs: number): number {
  return Math.ceil(ms / intervalMs) * intervalMs;
}
