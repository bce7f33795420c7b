import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { re2Error, re2Find, re2FullMatch } from "../../catalog/re2";
import { matcherAccepts, parseMatcherList, unquote } from "../../catalog/matchers";

test("a catastrophic-backtracking regex is matched in linear time", () => {
  const started = Date.now();
  assert.equal(re2FullMatch("(.*.*.*)*\x00", "a".repeat(100_000)), false);
  assert.equal(re2Find("(a+)+$", `${"a".repeat(50_000)}!`), false);
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
});

test("RE2 syntax JavaScript lacks is accepted: (?i), (?s), \\z, (?P<name>...), [[:alpha:]]", () => {
  for (const p of ["(?i)error", "(?s)a.b", "end\\z", "(?P<x>a)", "[[:alpha:]]+"])
    assert.equal(re2Error(p), undefined, p);
  assert.ok(re2FullMatch("(?i)error", "ERROR"));
});

test("lookbehind and lookahead are refused as unsupported by RE2, other invalid regexes with RE2's reason", () => {
  assert.equal(
    re2Error("(?<=a)b"),
    "uses lookahead/lookbehind, which RE2 (Prometheus, Alertmanager, blackbox exporter) does not support",
  );
  assert.equal(
    re2Error("a(?!b)"),
    "uses lookahead/lookbehind, which RE2 (Prometheus, Alertmanager, blackbox exporter) does not support",
  );
  assert.equal(re2Error("a("), "is not a valid RE2 regex: missing closing ): `a(`");
  assert.equal(re2Error("a{1001}"), "is not a valid RE2 regex: invalid repeat count: `{1001}`");
  assert.equal(re2Error("\\C"), "is not a valid RE2 regex: invalid escape sequence: `\\C`");
});

test("label matchers are anchored and dot matches a newline, as in Prometheus", () => {
  assert.ok(re2FullMatch("5..", "503"));
  assert.ok(!re2FullMatch("5..", "1503"));
  assert.ok(re2FullMatch("a.b", "a\nb"));
});

test("a matcher list is parsed as PromQL matchers with Go string escapes", () => {
  assert.deepEqual(parseMatcherList('job="web", code=~"5.."'), {
    matchers: [
      { name: "job", op: "=", value: "web" },
      { name: "code", op: "=~", value: "5.." },
    ],
  });
  assert.deepEqual(parseMatcherList('job=~"(.*.*.*)*\\x00"'), {
    matchers: [{ name: "job", op: "=~", value: "(.*.*.*)*\x00" }],
  });
  assert.equal(unquote('"a\\tb\\u00e9\\101"'), "a\tbéA");
  assert.equal(unquote("`raw\\n`"), "raw\\n");
  assert.equal(unquote('"bad\\q"'), undefined);
});

test("simple matcher lists, read without the PromQL parser, give what the parser gives", () => {
  const name = fc.oneof(
    fc.constantFrom("job", "by", "on", "offset", "bool", "inf", "__name__", "_x", "a1"),
    fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/),
  );
  const op = fc.constantFrom("=", "!=", "=~", "!~");
  const value = fc.oneof(fc.constantFrom("5..", "(ok", "a|b", "(?<=x)y", "é ü", ""), fc.string({ maxLength: 12 }));
  const space = fc.constantFrom("", " ", "\t", "\n ");
  const matcher = fc
    .tuple(space, name, space, op, space, value, space)
    .filter(([, , , , , v]) => !/["\\\r\n]/.test(v))
    .map(([s1, n, s2, o, s3, v, s4]) => `${s1}${n}${s2}${o}${s3}"${v}"${s4}`);
  fc.assert(
    fc.property(fc.array(matcher, { minLength: 1, maxLength: 4 }), (matchers) => {
      const text = matchers.join(",");
      // A trailing ", " is valid PromQL the fast reading leaves to the parser.
      assert.deepEqual(parseMatcherList(text), parseMatcherList(`${text}, `));
    }),
  );
});

test("a selector that closes its braces to add an expression is not a matcher list", () => {
  assert.deepEqual(parseMatcherList('service_name="api"} or vector(1) or up{x="y"'), {
    error: "is not a plain label-matcher list (it closes its braces or adds an expression)",
  });
  assert.deepEqual(parseMatcherList('__name__="up"'), {
    error:
      "matches __name__; a selector picks a service's series, the metric names come from the kind or metrics.duration",
  });
  assert.deepEqual(parseMatcherList('a=~"(?<=x)y"'), {
    error:
      "regex of a uses lookahead/lookbehind, which RE2 (Prometheus, Alertmanager, blackbox exporter) does not support",
  });
});

test("matcherAccepts follows Prometheus for each operator", () => {
  const [eq, ne, re, nre] = (["=", "!=", "=~", "!~"] as const).map((op) => ({ name: "a", op, value: "x|y" }));
  assert.deepEqual(
    [matcherAccepts(eq, "x|y"), matcherAccepts(ne, "x"), matcherAccepts(re, "y"), matcherAccepts(nre, "y")],
    [true, true, true, false],
  );
});
