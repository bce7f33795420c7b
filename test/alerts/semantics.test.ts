/**
 * Alert semantics proven with the real promtool against hand-written tests: the rules
 * rendered from test/fixtures/semantics/catalog.yaml (annotations dropped, they are checked
 * elsewhere) are loaded into each `*.test.yml` of that folder, whose series, times and
 * expected labels are written by hand.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCatalogFile } from "../../catalog/load";
import { generateRuleGroups } from "../../alerts/generate";
import { promGroup } from "../../alerts/prometheus-rules";
import type { RuleGroup } from "../../alerts/model";
import { toYaml } from "../../alerts/yaml";
import { findBinary } from "../../verify/tools";

const DIR = join(__dirname, "..", "fixtures", "semantics");
const catalog = loadCatalogFile(join(DIR, "catalog.yaml"));

/** Every group in one file, in render order (shared recording rules first), without annotations. */
function rulesFile(groups: RuleGroup[]): string {
  const bare = groups.map((g) => ({
    ...g,
    rules: g.rules.map((r) => (r.kind === "alert" ? { ...r, annotations: {} } : r)),
  }));
  return toYaml({ groups: bare.map((g) => promGroup(g)) });
}

const promtool = findBinary("promtool");

for (const file of readdirSync(DIR)
  .filter((f) => f.endsWith(".test.yml"))
  .sort()) {
  test(`promtool passes the hand-written ${file} against the rendered rules`, () => {
    assert.ok(promtool, "promtool is not installed");
    const dir = mkdtempSync(join(tmpdir(), "ops-monitoring-semantics-"));
    try {
      writeFileSync(join(dir, "rules.yml"), rulesFile(generateRuleGroups(catalog)));
      for (const f of readdirSync(DIR).filter((n) => n.endsWith(".yml"))) copyFileSync(join(DIR, f), join(dir, f));
      const r = spawnSync(promtool, ["test", "rules", file], { cwd: dir, encoding: "utf8" });
      assert.equal(r.status, 0, r.stdout + r.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
