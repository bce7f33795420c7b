import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { toYaml } from "../../alerts/yaml";
import { loadCatalogFile } from "../../catalog/load";
import { renderArtifacts } from "../../artifacts";
import { exampleCatalogs } from "../helpers/catalogs";

test("the YAML emitter round-trips awkward strings, numbers-as-strings, empty collections and nesting", () => {
  const value = {
    plain: "service:errors:ratio_rate5m",
    promql: 'max(probe_success{job="web-health"}) < 1',
    quote: "it's",
    multiline: "line one\nline two\ttabbed",
    numeric: "0.95",
    boolish: "yes",
    colon: "a: b",
    recordName: "slo:sli_error:ratio_rate5m",
    endColon: "a:",
    duration: "1h30m",
    hash: "a #b",
    template: "{{ .Status | toUpper }}",
    leadingDash: "- not a list",
    trailing: "space ",
    empty: "",
    n: 0.0144,
    yes: true,
    list: [],
    map: {},
    nested: [{ a: [1, 2], b: { c: "d" } }, "x", [["deep"]]],
  };
  assert.deepEqual(parse(toYaml(value)), value);
});

test("each string is written plain, single-quoted or double-quoted exactly as the emitter's rules say", () => {
  const cases: Array<[string, string]> = [
    ["service:errors:ratio_rate5m", "service:errors:ratio_rate5m"],
    ["/path/to a@b+c.d-e", "/path/to a@b+c.d-e"],
    ["_x", "_x"],
    ["1h30m", "1h30m"],
    ["500ms", "500ms"],
    ["1h30", "'1h30'"],
    ["5", "'5'"],
    ["a: b", "'a: b'"],
    ["a:b", "a:b"],
    ["a:", "'a:'"],
    ["a ", "'a '"],
    ["yes", "'yes'"],
    ["Null", "'Null'"],
    ["falsey", "falsey"],
    ["it's", "'it''s'"],
    ["", "''"],
    ["-x", "'-x'"],
    ["é", "'é'"],
    ['max(up{job="a"}) < 1', "'max(up{job=\"a\"}) < 1'"],
    ["tab\there", '"tab\\there"'],
    ["del\u007f", '"del\u007f"'],
  ];
  for (const [value, written] of cases) assert.equal(toYaml({ k: value }), `k: ${written}\n`, JSON.stringify(value));
  assert.equal(toYaml({}), "\n");
  assert.equal(
    toYaml({ a: [{ b: 1, c: [[2]] }, {}, []] }, "h"),
    "# h\na:\n  - b: 1\n    c:\n      -\n        - 2\n  - {}\n  - []\n",
  );
});

test("every rendered YAML config parses back to the structure it was emitted from", () => {
  for (const file of exampleCatalogs()) {
    for (const [path, content] of Object.entries(renderArtifacts(loadCatalogFile(file)))) {
      if (!path.endsWith(".yml")) continue;
      assert.doesNotThrow(() => parse(content), `${file}: ${path}`);
      assert.equal(
        toYaml(parse(content) as Record<string, unknown>),
        content.replace(/^# .*\n/, ""),
        `${file}: ${path} is not in canonical form`,
      );
    }
  }
});

test("a group of 12,000 rules (about 100,000 lines in one list item) is written without overflowing the stack", () => {
  const rules = Array.from({ length: 12_000 }, (_, i) => ({
    alert: `A${i}`,
    expr: `up{instance="i${i}"} == 0`,
    for: "5m",
    labels: { service: "api", severity: "P2", signal: "custom", team: "ops" },
    annotations: { summary: `A${i}`, description: "d", runbook_url: "https://wiki.example/r" },
  }));
  const text = toYaml({ groups: [{ name: "big", interval: "1m", rules }] });
  const back = parse(text) as { groups: Array<{ rules: unknown[] }> };
  assert.equal(back.groups[0].rules.length, 12_000);
  assert.deepEqual(back.groups[0].rules[11_999], rules[11_999]);
});
