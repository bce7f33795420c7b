import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { loadCatalogFile } from "../../catalog/load";
import { renderArtifacts, ruleGroupsOf, DEFAULT_RENDER_OPTIONS } from "../../artifacts";
import type { RuleGroup } from "../../alerts/model";
import { runChecks } from "../../verify/checks";
import { writeArtifacts } from "../../write-artifacts";
import { BIN, ROOT, exampleCatalogs, GOOD } from "../helpers/catalogs";

for (const file of exampleCatalogs()) {
  test(`verify passes promtool, amtool, blackbox and every generated rule test for ${relative(ROOT, file)}`, () => {
    const r = spawnSync(BIN, ["verify", "--catalog", file], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /promtool test rules: \d+ alerts fire on matching series and stay quiet otherwise/);
    assert.match(r.stdout, /all \d+ checks passed/);
  });
}

/** Runs every check on groups altered by `mutate`, returning the failed check names. */
function failedChecksAfter(mutate: (groups: RuleGroup[]) => void): string[] {
  const catalog = loadCatalogFile(join(GOOD, "all-kinds", "catalog.yaml"));
  const groups = ruleGroupsOf(catalog, DEFAULT_RENDER_OPTIONS);
  mutate(groups);
  const dir = mkdtempSync(join(tmpdir(), "ops-monitoring-test-"));
  try {
    const artifacts = renderArtifacts(catalog);
    writeArtifacts(dir, artifacts);
    const ruleFiles = Object.keys(artifacts).filter((p) => p.startsWith("prometheus/rules/"));
    return runChecks(dir, catalog, groups, ruleFiles)
      .filter((c) => !c.ok)
      .map((c) => c.name);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function alert(groups: RuleGroup[], id: string) {
  const rule = groups.flatMap((g) => g.rules).find((r) => r.id === id);
  assert.ok(rule && rule.kind === "alert", `no alert ${id}`);
  return rule;
}

test("a generated rule test fails when the alert's threshold no longer matches the catalog", () => {
  const failed = failedChecksAfter((groups) => {
    const rule = alert(groups, "web/error_rate/P1");
    rule.expr = rule.expr.replace("> 0.05", "> 0.9");
  });
  assert.deepEqual(failed, ["promtool test rules"]);
});

test("a generated rule test fails when an alert fires where it must stay quiet", () => {
  const failed = failedChecksAfter((groups) => {
    const rule = alert(groups, "db/connections/P1");
    rule.expr = rule.expr.replace("> 80", "> 1");
  });
  assert.deepEqual(failed, ["promtool test rules"]);
});

test("a generated rule test fails when an alert's `for` is longer than the outage it must catch", () => {
  const failed = failedChecksAfter((groups) => {
    alert(groups, "web/probe").forMs = 60 * 60_000;
  });
  assert.deepEqual(failed, ["promtool test rules"]);
});
