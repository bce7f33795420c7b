/**
 * Label-matcher lists (`metrics.selector`, `latency_selector`, `errors`) parsed as PromQL
 * matchers, never spliced as strings: a list is valid only when `{<list>}` is one vector
 * selector and nothing else (so `a="b"} or vector(1) or up{x="y"` is refused), every label
 * name is plain, and every regex matcher is valid RE2.
 */
import { parser } from "@prometheus-io/lezer-promql";
import { memoized } from "./memo";
import { re2Error, re2FullMatch } from "./re2";

export type MatchOp = "=" | "!=" | "=~" | "!~";
export interface LabelMatcher {
  name: string;
  op: MatchOp;
  /** The unquoted value (a regex for `=~` / `!~`). */
  value: string;
}

export type ParsedMatchers = { matchers: LabelMatcher[] } | { error: string };

/**
 * `job="web", env=~"prod|staging"` → its matchers, or why it is not a plain matcher list.
 * Parsed once per text (the rule generators ask for the same selectors many times); the result is frozen.
 */
export const parseMatcherList: (text: string) => ParsedMatchers = memoized((text) => deepFreeze(parse(text)));

function deepFreeze(parsed: ParsedMatchers): ParsedMatchers {
  if ("matchers" in parsed) parsed.matchers.forEach((m) => Object.freeze(m));
  return Object.freeze("matchers" in parsed ? { matchers: Object.freeze(parsed.matchers) as LabelMatcher[] } : parsed);
}

/** One `name op "value"` matcher with a plain name and an escape-free value, then a comma or the end. */
const SIMPLE_MATCHER =
  /[ \t\r\n]*([A-Za-z_][A-Za-z0-9_]*)[ \t\r\n]*(=~|!~|!=|=)[ \t\r\n]*"([^"\\\r\n]*)"[ \t\r\n]*(?:,(?=.)|$)/sy;

/**
 * The common case (`job="web"`, `code=~"5.."`) read without the PromQL parser: the same matchers
 * the parser yields, or undefined to let the parser decide (and word any error).
 */
function simpleMatchers(text: string): LabelMatcher[] | undefined {
  const matchers: LabelMatcher[] = [];
  SIMPLE_MATCHER.lastIndex = 0;
  while (SIMPLE_MATCHER.lastIndex < text.length) {
    const m = SIMPLE_MATCHER.exec(text);
    if (!m || m[1] === "__name__") return undefined;
    const [, name, op, value] = m as unknown as [string, string, MatchOp, string];
    if ((op === "=~" || op === "!~") && re2Error(value)) return undefined;
    matchers.push({ name, op, value });
  }
  return matchers.length ? matchers : undefined;
}

function parse(text: string): ParsedMatchers {
  if (text.trim() === "") return { error: "is empty" };
  const simple = simpleMatchers(text);
  if (simple) return { matchers: simple };
  const src = `{${text}}`;
  const tree = parser.parse(src);
  const errorAt = firstErrorAt(tree);
  if (errorAt !== undefined) {
    const at = Math.min(Math.max(0, errorAt - 1), text.length);
    return {
      error: `does not parse at character ${at + 1} (near ${JSON.stringify(text.slice(Math.max(0, at - 10), at + 10))})`,
    };
  }
  const top = tree.topNode.firstChild;
  if (!top || top.name !== "VectorSelector" || top.from !== 0 || top.to !== src.length || top.nextSibling)
    return { error: "is not a plain label-matcher list (it closes its braces or adds an expression)" };
  const list = top.firstChild;
  if (!list || list.name !== "LabelMatchers" || list.from !== 0) return { error: "is not a plain label-matcher list" };
  const matchers: LabelMatcher[] = [];
  for (let node = list.firstChild; node; node = node.nextSibling) {
    if (node.name === "{" || node.name === "}" || node.name === ",") continue;
    if (node.name !== "UnquotedLabelMatcher")
      return {
        error: `${JSON.stringify(src.slice(node.from, node.to))} is not a matcher like name="value" with a plain label name`,
      };
    const m = matcherOf(node, src);
    if ("error" in m) return m;
    matchers.push(m);
  }
  if (matchers.length === 0) return { error: "has no matcher" };
  return { matchers };
}

type SyntaxNode = NonNullable<ReturnType<typeof parser.parse>["topNode"]["firstChild"]>;

function firstErrorAt(tree: ReturnType<typeof parser.parse>): number | undefined {
  let at: number | undefined;
  tree.iterate({
    enter: (node) => {
      if (at === undefined && node.type.isError) at = node.from;
      return at === undefined;
    },
  });
  return at;
}

function matcherOf(node: SyntaxNode, src: string): LabelMatcher | { error: string } {
  const name = src.slice(node.getChild("LabelName")!.from, node.getChild("LabelName")!.to);
  const opNode = node.getChild("MatchOp")!;
  const op = src.slice(opNode.from, opNode.to) as MatchOp;
  const literal = node.getChild("StringLiteral")!;
  const value = unquote(src.slice(literal.from, literal.to));
  if (value === undefined) return { error: `${src.slice(literal.from, literal.to)} is not a valid PromQL string` };
  if (name === "__name__")
    return {
      error:
        "matches __name__; a selector picks a service's series, the metric names come from the kind or metrics.duration",
    };
  if (op === "=~" || op === "!~") {
    const err = re2Error(value);
    if (err) return { error: `regex of ${name} ${err}` };
  }
  return { name, op, value };
}

const SIMPLE_ESCAPES = new Map([
  ["a", "\x07"],
  ["b", "\b"],
  ["f", "\f"],
  ["n", "\n"],
  ["r", "\r"],
  ["t", "\t"],
  ["v", "\v"],
  ["\\", "\\"],
  ["'", "'"],
  ['"', '"'],
]);

/** A PromQL (Go) string literal's value: `"..."`, `'...'` with Go escapes, or a raw `` `...` ``; undefined when malformed. */
export function unquote(literal: string): string | undefined {
  const quote = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== quote) return undefined;
  const body = literal.slice(1, -1);
  if (quote === "`") return body;
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i];
    const simple = SIMPLE_ESCAPES.get(e);
    if (simple !== undefined) {
      if ((e === "'" && quote === '"') || (e === '"' && quote === "'")) return undefined;
      out += simple;
    } else if (e === "x" || e === "u" || e === "U") {
      const n = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + n);
      if (!new RegExp(`^[0-9A-Fa-f]{${n}}$`).test(hex)) return undefined;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) return undefined;
      out += String.fromCodePoint(code);
      i += n;
    } else if (e !== undefined && e >= "0" && e <= "7") {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) return undefined;
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
    } else return undefined;
  }
  return out;
}

/** Undefined when `text` is a valid matcher list, else why not. */
export function matcherListError(text: string): string | undefined {
  const parsed = parseMatcherList(text);
  return "error" in parsed ? parsed.error : undefined;
}

/** Whether a label value satisfies a matcher, with Prometheus' semantics (regexes anchored, RE2). */
export function matcherAccepts(m: LabelMatcher, value: string): boolean {
  switch (m.op) {
    case "=":
      return value === m.value;
    case "!=":
      return value !== m.value;
    case "=~":
      return re2FullMatch(m.value, value);
    case "!~":
      return !re2FullMatch(m.value, value);
  }
}
