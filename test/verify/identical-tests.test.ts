import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ruleGroupsOf } from "../../artifacts";
import type { AlertRule, RuleGroup } from "../../alerts/model";
import { renderRuleTests } from "../../alerts/rule-tests";
import { generateCatalog } from "../../bench/catalog";
import { validateCatalog } from "../../catalog/validate";
import { ruleTestsCheck } from "../../verify/checks";
import { identicalTests } from "../../verify/identical-tests";
import { findBinary } from "../../verify/tools";

/** The rule model of the bench catalog's api-1 and api-7 (same kind, thresholds and team); only the alerts ending in `families`, when given. */
function twoApis(families?: string[]): RuleGroup[] {
  const groups = ruleGroupsOf(validateCatalog(generateCatalog(8)), { customRules: {}, profile: "prod" });
  const kept = (r: RuleGroup["rules"][number]) =>
    r.kind === "record" ||
    (["api-1", "api-7"].includes(r.labels.service) && (!families || families.some((f) => r.id.endsWith(`/${f}`))));
  return groups.map((g) => ({ ...g, rules: g.rules.filter(kept) })).filter((g) => g.rules.length);
}

function alert(groups: RuleGroup[], id: string): AlertRule {
  const rule = groups.flatMap((g) => g.rules).find((r) => r.id === id);
  assert.ok(rule && rule.kind === "alert", `no alert ${id}`);
  return rule;
}

const ownRuns = (groups: RuleGroup[]) => {
  const { files, tests, services } = renderRuleTests(groups);
  return identicalTests(files, tests, services);
};

test("a service whose tests equal another's up to its name is proven by that service's runs", () => {
  const { run, proves } = ownRuns(twoApis());
  assert.ok(run.length > 0);
  assert.ok(
    run.every((t) => t.startsWith("bench-api-1__")),
    run.join(", "),
  );
  assert.deepEqual(
    [...proves.entries()].map(([by, list]) => [by, list]),
    run.map((t) => [t, [t.replaceAll("api-1", "api-7")]]),
  );
});

test("an alert whose rule differs by one character from its twin's gets a run of its own", () => {
  const groups = twoApis();
  const rule = alert(groups, "api-7/error_rate/P1");
  rule.ownExpr = (rule.ownExpr ?? rule.expr).replace("> 0.1", "> 0.2");
  const { run } = ownRuns(groups);
  assert.deepEqual(
    run.filter((t) => t.startsWith("bench-api-7__")),
    ["bench-api-7__api-7_error_rate_P1.test.yml"],
  );
});

/** identicalTests on two hand-written tests of services `a` and `b`, rule expression `expr`. */
function provenTwin(a: string, b: string, expr: string, labels = "", annotation = "down"): boolean {
  const files: Record<string, string> = {};
  const services: Record<string, string> = {};
  for (const s of [a, b]) {
    files[`${s}.rules.yml`] = [
      "groups:",
      `  - name: ${s}`,
      "    rules:",
      "      - alert: Down",
      `        expr: '${expr.replaceAll("SVC", s)}'`,
      `        labels: {service: ${s}${labels}}`,
      `        annotations: {summary: '${annotation.replaceAll("SVC", s)}'}`,
      "",
    ].join("\n");
    files[`${s}.test.yml`] = [
      `rule_files: [${s}.rules.yml]`,
      "tests:",
      "  - interval: 1m",
      `    input_series: [{series: 'up{job="${s}"}', values: '0x5'}]`,
      `    alert_rule_test: [{eval_time: 5m, alertname: Down, exp_alerts: [{exp_labels: {service: ${s}${labels}, job: ${s}}}]}]`,
      "",
    ].join("\n");
    services[`${s}.test.yml`] = s;
  }
  const { run, proves } = identicalTests(files, [`${a}.test.yml`, `${b}.test.yml`], services);
  assert.equal(run.length + (proves.get(`${a}.test.yml`)?.length ?? 0), 2);
  return run.length === 1;
}

test("a renaming is taken as exact only when names are slugs YAML reads as strings, in string literals", () => {
  assert.equal(provenTwin("api-1", "api-2", 'up{job="SVC"} == 0'), true);
  assert.equal(provenTwin("api", "web", 'up{job="SVC"} == 0'), true, "names without a hyphen");
  assert.equal(provenTwin("api", "on", 'up{job="SVC"} == 0'), false, "a name YAML reads as a boolean");
  assert.equal(provenTwin("null", "api", 'up{job="SVC"} == 0'), false, "a name YAML reads as null");
  assert.equal(
    provenTwin("sum", "api", 'sum(up{job="SVC"}) == 0'),
    false,
    "a name that is a PromQL word outside a literal",
  );
  assert.equal(provenTwin("api-1", "api-2", "SVC == 0"), false, "the name outside a string literal");
  assert.equal(provenTwin("api-1", "api-2", 'up{job=~"SVC|x.y"} == 0'), false, "the name inside a regex with `.`");
});

test("a renaming is refused when a regex, the order of label values or a template would see the new name differently", () => {
  const regex = 'up{job="SVC"} == 0 and on (job) up{job=~"a.*"}';
  assert.equal(provenTwin("api-1", "app-2", regex), true, "both names match a.*");
  assert.equal(provenTwin("api-1", "web-2", regex), false, "web-2 does not match a.*");
  assert.equal(provenTwin("api-1", "ask-2", 'up{job="SVC"} == 0', ", tier: b"), true, "api-1 and ask-2 sort before b");
  assert.equal(provenTwin("api-1", "web-2", 'up{job="SVC"} == 0', ", tier: b"), false, "web-2 sorts after b");
  assert.equal(provenTwin("api-1", "api-2", 'up{job="SVC"} == 0', "", "{{ $labels.job }} down"), false, "a template");
  assert.equal(
    provenTwin("api-1", "api-2", 'up{job="SVC"} == 0', "", "{{ $labels.service }} down"),
    true,
    "a folded alert's service template, which expands to a label value",
  );
});

const promtool = findBinary("promtool");
/** The real-promtool tests run two families: one reading a recording rule, one a probe. */
const FAMILIES = ["error_rate/P1", "probe"];

/** verify's rule-test check on `groups`, with the real promtool. */
async function check(groups: RuleGroup[]) {
  assert.ok(promtool, "promtool is not installed");
  const dir = mkdtempSync(join(tmpdir(), "identical-tests-"));
  try {
    return await ruleTestsCheck(dir, groups, promtool);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("verify's rule tests prove a twin service by renaming, and fail on a bug planted in the twin alone", async () => {
  const passed = await check(twoApis(FAMILIES));
  assert.equal(passed.ok, true, passed.detail);
  assert.match(
    passed.detail,
    /^\d+ alerts fire on matching series and stay quiet otherwise; (\d+) alerts proven by an identical test of \1 /,
  );
  const groups = twoApis(FAMILIES);
  const rule = alert(groups, "api-7/error_rate/P1");
  rule.ownExpr = (rule.ownExpr ?? rule.expr).replace("> 0.1", "> 0.9");
  const failed = await check(groups);
  assert.equal(failed.ok, false);
  assert.match(failed.detail, /api-7\/error_rate\/P1 fires/);
  assert.doesNotMatch(failed.detail, /api-1\//);
});

test("a failing test fails every twin it would have proven, each named in the report", async () => {
  const groups = twoApis(FAMILIES);
  for (const id of ["api-1/probe", "api-7/probe"]) alert(groups, id).forMs = 60 * 60_000;
  const failed = await check(groups);
  assert.equal(failed.ok, false);
  assert.match(failed.detail, /api-1\/probe fires/);
  assert.match(failed.detail, /api-7\/probe fires/);
});
