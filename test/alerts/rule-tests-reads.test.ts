import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { ruleGroupsOf } from "../../artifacts";
import type { RuleGroup } from "../../alerts/model";
import { renderRuleTests } from "../../alerts/rule-tests";
import { generateCatalog } from "../../bench/catalog";
import { validateCatalog } from "../../catalog/validate";
import { isAlertConditionRecord } from "../../conventions";

/** The bench catalog's frontend-0: an availability and a latency SLO, error-rate and p95 thresholds. */
const frontend = (): RuleGroup[] =>
  ruleGroupsOf(validateCatalog(generateCatalog(1)), { customRules: {}, profile: "prod" }).map((g) => ({
    ...g,
    rules: g.rules.filter((r) => r.kind === "record" || r.labels.service === "frontend-0"),
  }));

/** `record` and `slo` label of each recording rule the generated test of `id` loads, but the alert's own condition. */
function recordsLoaded(groups: RuleGroup[], id: string): string[] {
  const { files, tests } = renderRuleTests(groups);
  const name = tests.find((t) => t.endsWith(`${id.replaceAll("/", "_")}.test.yml`));
  assert.ok(name, `no test for ${id}`);
  const doc = parse(files[name.replace(".test.yml", ".rules.yml")]) as {
    groups: Array<{ rules: Array<{ record?: string; labels?: { slo?: string; quantile?: string } }> }>;
  };
  return doc.groups[0].rules
    .filter((r) => r.record && !isAlertConditionRecord(r.record))
    .map((r) => [r.record, r.labels?.slo ?? r.labels?.quantile].filter(Boolean).join(" "));
}

test("an SLO alert's generated test loads only the windows of its own SLO that its expression reads", () => {
  assert.deepEqual(recordsLoaded(frontend(), "frontend-0/slo/availability/ticket"), [
    "slo:sli_error:ratio_rate2h availability",
    "slo:sli_error:ratio_rate6h availability",
    "slo:sli_error:ratio_rate1d availability",
    "slo:sli_error:ratio_rate3d availability",
  ]);
  assert.deepEqual(recordsLoaded(frontend(), "frontend-0/slo/latency/page"), [
    "slo:sli_error:ratio_rate5m latency",
    "slo:sli_error:ratio_rate30m latency",
    "slo:sli_error:ratio_rate1h latency",
    "slo:sli_error:ratio_rate6h latency",
  ]);
});

test("a selector without a metric name loads every recording rule whose labels it does not contradict", () => {
  const groups = frontend();
  const rule = groups.flatMap((g) => g.rules).find((r) => r.id === "frontend-0/slo/availability/ticket");
  assert.ok(rule?.kind === "alert");
  rule.ownExpr = 'count({service="frontend-0", slo="availability"}) > 0';
  assert.deepEqual(
    recordsLoaded(groups, rule.id).map((r) => r.split(" ")[1]),
    Array(7).fill("availability"),
  );
  rule.ownExpr = 'count({__name__=~"slo:sli_error:.*"}) > 0';
  assert.equal(recordsLoaded(groups, rule.id).length, 14);
});
