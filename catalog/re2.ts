/**
 * Regular expressions of the catalog (selector and `errors:` matchers, `expect_body`) are Go
 * RE2 regexes: Prometheus, Alertmanager, the blackbox exporter and Synthetic Monitoring run
 * them with Go's `regexp`. They are compiled and matched here only with RE2JS, a port of RE2
 * (linear time, same syntax), never with JavaScript's backtracking `RegExp`.
 */
import { RE2JS } from "re2js";
import { memoized } from "./memo";

const LOOKAROUND = /\(\?<?[=!]/;

/** Undefined when `pattern` is a valid RE2 regex, else why not (lookaround named as such). */
export const re2Error: (pattern: string) => string | undefined = memoized((pattern) => {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (e) {
    if (LOOKAROUND.test(pattern))
      return "uses lookahead/lookbehind, which RE2 (Prometheus, Alertmanager, blackbox exporter) does not support";
    return `is not a valid RE2 regex: ${(e as Error).message.replace(/^error parsing regexp: /, "")}`;
  }
});

const compile = memoized((pattern) => RE2JS.compile(pattern));

/** Whether `value` matches `pattern` as a Prometheus label matcher does: the whole value, `.` matching newlines. */
export function re2FullMatch(pattern: string, value: string): boolean {
  return compile(`^(?s:${pattern})$`).matches(value);
}

/** Whether `pattern` matches somewhere in `text`, as the blackbox exporter's body regexes do. */
export function re2Find(pattern: string, text: string): boolean {
  return compile(pattern).matcher(text).find();
}
