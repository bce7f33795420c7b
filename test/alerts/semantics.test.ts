/**
 * Alert semantics proven with the real promtool against hand-written tests: the rules
 * rendered from test/fixtures/semantics/catalog.yaml (or `<name>.catalog.yaml` beside
 * `<name>.test.yml`; annotations dropped, they are checked elsewhere) are loaded into each
 * `*.test.yml` of that folder, whose series, times and expected labels are written by hand.
 * Each file gets only the rules it names and the recording rules those read (promtool evaluates
 * every loaded rule at every step, and the 1d/3d-window recordings of the shared group
 * dominate a 24 h test).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCatalogFile } from "../../catalog/load";
import { generateRuleGroups } from "../../alerts/generate";
import { foldedGroups } from "../../alerts/fold";
import { FOLDED_ALERTS, ruleGroupName } from "../../conventions";
import type { Rule, RuleGroup } from "../../alerts/model";
import { toYaml } from "../../alerts/yaml";
import { findBinary } from "../../verify/tools";
import { namesRead } from "../helpers/rule-closure";

const DIR = join(__dirname, "..", "fixtures", "semantics");
const catalog = loadCatalogFile(join(DIR, "catalog.yaml"));

/**
 * Every group in one file in the form `render` writes (alerts folded, alerts/fold.ts), in render
 * order (shared recording rules first), without annotations; with each alert's own condition
 * (`ownExpr`) unless `suppressed`: the family files pin each alert's condition,
 * suppression.test.yml and escalation.test.yml the suppression by other alerts.
 */
function rulesFile(groups: RuleGroup[], suppressed: boolean, system: string): string {
  const bare = groups.map((g) => ({
    ...g,
    rules: g.rules.map((r): Rule => {
      if (r.kind !== "alert") return r;
      if (suppressed) return { ...r, annotations: {} };
      const { suppressedBy: _, ownExpr, ...own } = r;
      return { ...own, expr: ownExpr ?? r.expr, annotations: {} };
    }),
  }));
  return toYaml({ groups: foldedGroups(bare, ruleGroupName(system, FOLDED_ALERTS)) });
}

const nameOf = (r: Rule) => (r.kind === "alert" ? r.alert : r.record);

/** The rules `testYaml` names (alertname, expr), with the recording rules they read, transitively; order kept. */
export function rulesFor(groups: RuleGroup[], testYaml: string): RuleGroup[] {
  const needed = namesRead(
    groups.flatMap((g) => g.rules),
    testYaml,
    nameOf,
    (r) => JSON.stringify(r),
  );
  return groups
    .map((g) => ({ ...g, rules: g.rules.filter((r) => needed.has(nameOf(r))) }))
    .filter((g) => g.rules.length > 0);
}

const promtool = findBinary("promtool");
const groups = generateRuleGroups(catalog);

for (const file of readdirSync(DIR)
  .filter((f) => f.endsWith(".test.yml"))
  .sort()) {
  test(`promtool passes the hand-written ${file} against the rendered (folded) rules`, () => {
    assert.ok(promtool, "promtool is not installed");
    const dir = mkdtempSync(join(tmpdir(), "ops-monitoring-semantics-"));
    try {
      const own = join(DIR, file.replace(/\.test\.yml$/, ".catalog.yaml"));
      const cat = existsSync(own) ? loadCatalogFile(own) : catalog;
      const rules = existsSync(own) ? generateRuleGroups(cat) : groups;
      writeFileSync(
        join(dir, "rules.yml"),
        rulesFile(rulesFor(rules, readFileSync(join(DIR, file), "utf8")), existsSync(own), cat.system),
      );
      for (const f of readdirSync(DIR).filter((n) => n.endsWith(".yml"))) copyFileSync(join(DIR, f), join(dir, f));
      const r = spawnSync(promtool, ["test", "rules", file], { cwd: dir, encoding: "utf8" });
      assert.equal(r.status, 0, r.stdout + r.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("each semantics file gets the rules it names and the recordings they read, not the others", () => {
  const only = rulesFor(groups, "alert_rule_test: [{ alertname: ExternalApiQuotaHigh }]");
  assert.deepEqual(
    only.map((g) => [g.name, g.rules.map(nameOf)]),
    [["sem-hunter", ["ExternalApiQuotaHigh"]]],
  );
  const burn = rulesFor(groups, "alertname: SloErrorBudgetSlowBurn").flatMap((g) => g.rules.map(nameOf));
  assert.ok(burn.includes("SloErrorBudgetSlowBurn"), burn.join(" "));
  assert.ok(burn.includes("slo:sli_error:ratio_rate3d"), burn.join(" "));
  assert.ok(!burn.includes("ExternalApiQuotaHigh"), burn.join(" "));
});
