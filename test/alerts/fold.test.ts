import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { foldOf } from "../../alerts/fold";
import { rulesOf } from "../helpers/rendered-alerts";
import type { AlertRule } from "../../alerts/model";
import { renderRuleTests } from "../../alerts/rule-tests";
import { renderArtifacts, ruleGroupsOf } from "../../artifacts";
import { generateCatalog } from "../../bench/catalog";
import { validateCatalog } from "../../catalog/validate";
import { findBinary } from "../../verify/tools";

const threeWebs = validateCatalog({
  system: "acme",
  services: ["a", "b", "c"].map((s) => ({
    name: `web-${s}`,
    kind: "api",
    team: "growth",
    thresholds: { error_rate: { P1: s === "c" ? "10%" : "5%" } },
  })),
});

test("alerts of one family whose texts differ only by the service's name are one alerting rule reading a condition record per service", () => {
  const files = renderArtifacts(threeWebs);
  const folded = rulesOf(files["prometheus/rules/acme-alerts.yml"]);
  const alerts = folded.filter((r) => r.alert === "ErrorRateHigh");
  assert.equal(alerts.length, 2, "web-a and web-b share one rule, web-c (10%) has its own");
  const five = alerts.find((r) => r.annotations?.summary?.endsWith("5%"));
  assert.ok(five);
  const [record, clause] = five.expr.split(" unless ");
  assert.match(record, /^alert:ErrorRateHigh:condition_[0-9a-f]{16}$/);
  assert.equal(
    clause,
    'on(service) (alert:suppressing_condition:held{severity="P0"} or alert:suppressing_condition:held{alert="ProbeDown"})',
    "dropped while a P0 alert or ProbeDown of its service holds",
  );
  assert.equal(five.for, "5m");
  assert.deepEqual(five.labels, {
    service: "{{ $labels.service }}",
    severity: "P1",
    signal: "error_rate",
    team: "{{ $labels.team }}",
    alert: "ErrorRateHigh",
  });
  assert.equal(five.annotations?.summary, "{{ $labels.service }} error rate above 5%");
  assert.equal(five.annotations?.description, "{{ $labels.service }} (api) error rate above 5% for 5m.");
  assert.deepEqual(
    folded.filter((r) => r.record === record),
    [
      {
        record,
        expr: 'service:errors:ratio_rate5m{service="web-a"} > 0.05',
        labels: { service: "web-a", team: "growth" },
      },
      {
        record,
        expr: 'service:errors:ratio_rate5m{service="web-b"} > 0.05',
        labels: { service: "web-b", team: "growth" },
      },
    ],
  );
  assert.ok(
    folded.indexOf(five) > Math.max(...folded.flatMap((r, i) => (r.record === record ? [i] : []))),
    "the alerting rule is evaluated after the records it reads",
  );
  for (const [path, text] of Object.entries(files))
    if (path.startsWith("prometheus/rules/") && !path.endsWith("acme-alerts.yml"))
      assert.ok(
        rulesOf(text).every((r) => r.record),
        `${path} holds recording rules only`,
      );
});

test("a service named like the folded group is refused, naming the field", () => {
  assert.throws(
    () => validateCatalog({ system: "acme", services: [{ name: "alerts", kind: "api" }] }),
    /services\[alerts\]\.name: "alerts" is reserved/,
  );
});

test("a catalog of alike services renders as many alerting rules at 600 services as at 60", () => {
  const alerting = (n: number) =>
    Object.entries(renderArtifacts(validateCatalog(generateCatalog(n))))
      .filter(([path]) => path.startsWith("prometheus/rules/"))
      .flatMap(([, text]) => rulesOf(text))
      .filter((r) => r.alert).length;
  const sixty = alerting(60);
  assert.equal(alerting(600), sixty);
  assert.ok(sixty < 60, `${sixty} alerting rules`);
});

/** An alert of the model, changed by `patch`. */
function modelAlert(patch: Partial<AlertRule>): AlertRule {
  const rule = ruleGroupsOf(threeWebs, { customRules: {}, profile: "prod" })
    .flatMap((g) => g.rules)
    .find((r): r is AlertRule => r.kind === "alert" && r.id === "web-a/error_rate/P1");
  assert.ok(rule);
  return { ...rule, ...patch };
}

test("a text with a brace keeps the service's name as written, and a template in a label value keeps the alert unfolded", () => {
  const braces = foldOf(modelAlert({ annotations: { summary: "web-a {web-a} down", description: "web-a down" } }));
  assert.deepEqual(braces?.alert.annotations, {
    summary: "web-a {web-a} down",
    description: "{{ $labels.service }} down",
  });
  const labelled = modelAlert({});
  assert.equal(foldOf({ ...labelled, labels: { ...labelled.labels, value: "{{ $value }}" } }), undefined);
});

test("two alerts share a rule exactly when their texts are equal with each one's service name written as a template", () => {
  const summary = (service: string, text: string) =>
    foldOf(
      modelAlert({
        labels: { ...modelAlert({}).labels, service },
        annotations: { summary: text, description: "down" },
      }),
    )?.alert;
  const cases: Array<[string, string, string, string, boolean]> = [
    ["web-a", "web-a is down", "web-b", "web-b is down", true],
    ["web-a", "web-a is down", "web-b", "web-a is down", false],
    // A name inside another service's name: both sides template their own name, leftmost first.
    ["api-1", "api-1 calls api-10", "api-2", "api-2 calls api-20", true],
    ["aa", "aaa", "bb", "bba", true],
    ["aa", "aaa", "bb", "bbb", false],
    ["x", "x-x", "y", "y-x", false],
    ["p", "p calls q", "q", "q calls q", false],
    ["p", "p-x-p", "q", "q-x-zq", false],
    // A text with a brace stays literal: it matches the other's templated text only as written.
    ["web-a", "{{ $labels.service }} is down", "web-b", "web-b is down", true],
    ["web-a", "{web-a} is down", "web-b", "{web-b} is down", false],
    ["web-a", "{{ $labels.service }} is down", "web-b", "{{ $labels.service }} is down!", false],
    ["web-a", "web-a is down", "web-b", "web-b is down ", false],
    ["web-a", "web-a is down", "web-b", "web-b is dow", false],
  ];
  for (const [a, textA, b, textB, shared] of cases)
    assert.equal(summary(a, textA) === summary(b, textB), shared, `${a}: ${textA} / ${b}: ${textB}`);
});

const promtool = findBinary("promtool");

test("the generated promtool tests check each folded alert's expanded texts: a template reading another label fails them", () => {
  assert.ok(promtool, "promtool is not installed");
  const { files, tests } = renderRuleTests(ruleGroupsOf(threeWebs, { customRules: {}, profile: "prod" }));
  const dir = mkdtempSync(join(tmpdir(), "fold-"));
  try {
    const run = (edit: (text: string) => string) => {
      for (const [name, text] of Object.entries(files))
        writeFileSync(join(dir, name), name.endsWith(".rules.yml") ? edit(text) : text);
      return spawnSync(promtool, ["test", "rules", ...tests], { cwd: dir, encoding: "utf8" });
    };
    const sound = run((t) => t);
    assert.equal(sound.status, 0, sound.stdout + sound.stderr);
    const planted = run((t) => t.replaceAll("{{ $labels.service }}", "{{ $labels.team }}"));
    assert.equal(planted.status, 1);
    assert.match(planted.stdout + planted.stderr, /growth error rate above 5%/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
