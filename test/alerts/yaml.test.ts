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
