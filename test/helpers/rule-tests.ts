/**
 * The generated promtool tests (`alerts/rule-tests.ts`) run on their own, without the rest of
 * verify's checks: for planted-bug tests that look at one alert. Each generated test file carries
 * its own rules, so `only` narrows the run to those alerts (every recording rule kept).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RuleGroup } from "../../alerts/model";
import { renderRuleTests } from "../../alerts/rule-tests";
import { findBinary, runTool } from "../../verify/tools";

/** promtool's failure output for the generated tests of `groups` (of the alerts `only` names, when given); "" when they pass. */
export function ruleTestFailures(groups: RuleGroup[], only?: string[]): string {
  const promtool = findBinary("promtool");
  assert.ok(promtool, "promtool is not installed");
  const picked = only
    ? groups.map((g) => ({ ...g, rules: g.rules.filter((r) => r.kind === "record" || only.includes(r.id)) }))
    : groups;
  const { files, tests } = renderRuleTests(picked);
  if (only) assert.ok(tests.length >= only.length, `no generated test for ${only.join(", ")}`);
  const dir = mkdtempSync(join(tmpdir(), "rule-tests-"));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const r = runTool(promtool, ["test", "rules", ...tests], dir);
    return r.ok ? "" : r.output;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
