/**
 * Generated rule tests that are one test up to the service name. At 1000 services most alerts
 * are the same family with the same thresholds, `for` and texts, the service's name substituted:
 * `verify` runs one of them and counts the others as proven by it, but only when the renaming
 * is exact, which is checked here for every test it skips:
 *
 * - both names are lowercase slugs (`api-3`, `web`) that YAML reads as strings (not `on`, `no`,
 *   `null`, ...): never a number, and literal characters in a regex (a name that is also a PromQL
 *   word, `sum` or `on`, may occur only inside string literals: see below);
 * - the rule file and the test file of one, with every occurrence of its name (not touching a
 *   letter or digit) replaced by a placeholder, are byte-identical to the other's;
 * - no Go template (`{{`) anywhere but the folded alerts' `{{ $labels.service }}` and
 *   `{{ $labels.team }}` (alerts/fold.ts), which expand to a label value of the alert's condition
 *   record: renamed with the others;
 * - in PromQL (rule `expr`, input `series`) the name occurs only inside string literals, and in
 *   `expr` only in literals of letters, digits, `_` and `-` (a regex of them matches only itself);
 * - every other string literal of an `expr`, read as a regex, matches each string holding the name
 *   exactly when it matches the renamed string, and holds a capture group only as `(.*)` or `(.+)`
 *   (which capture the whole value);
 * - the renaming keeps the byte order of every string that can be a label value (PromQL string
 *   literals, `labels` and `exp_labels` values, rule names): series order, hence the order
 *   Prometheus sums in, follows it.
 *
 * Prometheus treats label values and texts only through equality, byte order, regex matches and
 * templates, so under these conditions promtool's verdict on the renamed test is the verdict on
 * the test it ran, with the name renamed.
 */
import { parser } from "@prometheus-io/lezer-promql";
import { parse } from "yaml";
import { re2Error, re2FullMatch } from "../catalog/re2";
import { FOLD_TEMPLATES } from "../alerts/fold";

export interface IdenticalTests {
  /** The test files to run. */
  run: string[];
  /** A test file that is run → the test files proven by its run (the same test, another service's name). */
  proves: Map<string, string[]>;
}

/** Service names a renaming may replace or introduce. */
const RENAMABLE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Slugs YAML 1.1 (Prometheus' parser) reads as a boolean or null when written plain. */
const YAML_NOT_STRING = /^(true|false|yes|no|on|off|null|y|n)$/;
const PLACEHOLDER = "\u0000";
const WHOLE_VALUE_CAPTURES = new Set(["(.*)", "(.+)"]);
const LITERAL = /^[A-Za-z0-9_-]+$/;

export const rulesFileOf = (test: string) => test.replace(/\.test\.yml$/, ".rules.yml");

/**
 * Which of `tests` (test file names in `files`, each with its `<name>.rules.yml`) to run, and
 * which are proven by another's run; `services` names each test's service.
 */
export function identicalTests(
  files: Record<string, string>,
  tests: string[],
  services: Record<string, string | undefined>,
): IdenticalTests {
  const run: string[] = [];
  const proves = new Map<string, string[]>();
  const classes = new Map<string, { test: string; service: string; facts?: RenamingFacts | null }>();
  for (const test of tests) {
    const service = services[test];
    const texts = [files[rulesFileOf(test)], files[test]];
    if (
      service === undefined ||
      !RENAMABLE.test(service) ||
      YAML_NOT_STRING.test(service) ||
      texts.some((t) => t.includes(PLACEHOLDER))
    ) {
      run.push(test);
      continue;
    }
    const key = texts.map((t) => rename(t, service, PLACEHOLDER)).join(PLACEHOLDER);
    const first = classes.get(key);
    if (!first) {
      classes.set(key, { test, service });
      run.push(test);
      continue;
    }
    if (first.facts === undefined)
      first.facts = renamingFacts([files[rulesFileOf(first.test)], files[first.test]], first.service) ?? null;
    if (first.facts && keepsMeaning(first.facts, first.service, service)) {
      const list = proves.get(first.test);
      if (list) list.push(test);
      else proves.set(first.test, [test]);
    } else run.push(test);
  }
  return { run, proves };
}

interface RenamingFacts {
  /** The strings of both files that can be label values (PromQL string literals, `labels` values, rule names), in byte order. */
  values: string[];
  /** Every string of both files (YAML keys and values, PromQL string literals) holding the name. */
  named: string[];
  /** String literals of `expr`s without the name: each may be a regex. */
  patterns: string[];
}

/** Where `name` occurs in `text`, not touching a letter or digit on either side. */
function occurrences(text: string, name: string): number[] {
  const at: number[] = [];
  for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + name.length)) {
    if (!isAlnum(text.charCodeAt(i - 1)) && !isAlnum(text.charCodeAt(i + name.length))) at.push(i);
  }
  return at;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function rename(text: string, name: string, to: string): string {
  const at = occurrences(text, name);
  if (!at.length) return text;
  let out = "";
  let from = 0;
  for (const i of at) {
    out += text.slice(from, i) + to;
    from = i + name.length;
  }
  return out + text.slice(from);
}

/** The facts of a test's two files the renaming conditions are checked on; undefined when one fails already. */
function renamingFacts(texts: string[], name: string): RenamingFacts | undefined {
  if (texts.some((t) => FOLD_TEMPLATES.reduce((rest, f) => rest.split(f).join(""), t).includes("{{"))) return undefined;
  const strings = new Set<string>();
  const values = new Set<string>();
  const patterns = new Set<string>();
  let counted = 0;
  const promql = (expr: string, inExpr: boolean): boolean => {
    const literals: Array<{ from: number; to: number }> = [];
    let broken = false;
    parser.parse(expr).iterate({
      enter: (node) => {
        if (node.type.isError) broken = true;
        if (node.name === "StringLiteral") literals.push({ from: node.from, to: node.to });
      },
    });
    if (broken) return false;
    for (const at of occurrences(expr, name))
      if (!literals.some((l) => at > l.from && at + name.length < l.to)) return false;
    for (const l of literals) {
      const value = unquote(expr.slice(l.from, l.to));
      if (value === undefined) return false;
      strings.add(value);
      values.add(value);
      if (!inExpr) continue;
      if (occurrences(value, name).length) {
        if (!LITERAL.test(value)) return false;
      } else if (!re2Error(value)) {
        if (value.includes("(") && !WHOLE_VALUE_CAPTURES.has(value)) return false;
        patterns.add(value);
      }
    }
    return true;
  };
  const walk = (node: unknown, key: string, parent: string): boolean => {
    if (typeof node === "string") {
      counted += occurrences(node, name).length;
      if (key === "expr" || key === "series") return promql(node, key === "expr");
      strings.add(node);
      if (parent === "labels" || parent === "exp_labels" || key === "alert" || key === "record") values.add(node);
      return true;
    }
    if (Array.isArray(node)) return node.every((n) => walk(n, key, parent));
    if (node && typeof node === "object")
      return Object.entries(node).every(([k, v]) => {
        counted += occurrences(k, name).length;
        strings.add(k);
        return walk(v, k, key);
      });
    return true;
  };
  for (const text of texts) {
    let doc: unknown;
    try {
      doc = parse(text);
    } catch {
      return undefined;
    }
    if (!walk(doc, "", "")) return undefined;
  }
  // Every occurrence in the files is one the walk saw in a string (none in YAML syntax or comments).
  if (counted !== texts.reduce((n, t) => n + occurrences(t, name).length, 0)) return undefined;
  return {
    values: [...values].sort(byteOrder),
    named: [...strings].filter((s) => occurrences(s, name).length),
    patterns: [...patterns],
  };
}

/** Whether renaming `name` to `to` keeps every regex verdict and the byte order of the label values. */
function keepsMeaning(facts: RenamingFacts, name: string, to: string): boolean {
  for (const p of facts.patterns)
    for (const s of facts.named) if (re2FullMatch(p, s) !== re2FullMatch(p, rename(s, name, to))) return false;
  for (let i = 1; i < facts.values.length; i++)
    if (byteOrder(rename(facts.values[i - 1], name, to), rename(facts.values[i], name, to)) >= 0) return false;
  return true;
}

/** Go's string order (bytes of UTF-8). */
function byteOrder(a: string, b: string): number {
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/;
  if (ascii.test(a) && ascii.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** The value of a PromQL string literal; undefined for an escape this reading does not know. */
function unquote(literal: string): string | undefined {
  const body = literal.slice(1, -1);
  if (literal[0] === "`") return body;
  const known: Record<string, string> = { "\\": "\\", '"': '"', "'": "'", n: "\n", t: "\t" };
  let out = "";
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== "\\") {
      out += body[i];
      continue;
    }
    const c = known[body[++i]];
    if (c === undefined) return undefined;
    out += c;
  }
  return out;
}
