import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join, relative } from "node:path";
import { loadCatalogFile } from "../../catalog/load";
import { ruleGroupsOf, DEFAULT_RENDER_OPTIONS } from "../../artifacts";
import type { AlertRule, RuleGroup } from "../../alerts/model";
import { BIN, ROOT, distinctCatalogs, GOOD } from "../helpers/catalogs";
import { cli } from "../helpers/cli-in-process";
import { ruleTestFailures } from "../helpers/rule-tests";

for (const file of distinctCatalogs()) {
  const name = relative(ROOT, file);
  const binary = name === "Pulumi.prod.yaml";
  test(`${binary ? "bin/ops-monitoring " : ""}verify passes promtool, amtool, blackbox and every generated rule test for ${name}`, async () => {
    const r = binary
      ? spawnSync(BIN, ["verify", "--catalog", file], { encoding: "utf8", cwd: ROOT })
      : await cli(["verify", "--catalog", file], { cwd: ROOT });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const warnings = r.stderr.replace(/^verify: .* \(\d+s\)\n/gm, ""); // progress lines of a slow run
    if (name.startsWith("examples/")) assert.equal(warnings, "", `${name}: no warnings`);
    assert.match(r.stdout, /promtool test rules: \d+ alerts fire on matching series and stay quiet otherwise/);
    assert.match(r.stdout, /all \d+ checks passed/);
  });
}

/** The generated promtool test of alert `id` of the all-kinds catalog after `mutate`, run alone; "" when it passes. */
function failuresOf(id: string, mutate: (rule: AlertRule) => void): string {
  const groups = ruleGroupsOf(loadCatalogFile(join(GOOD, "all-kinds", "catalog.yaml")), DEFAULT_RENDER_OPTIONS);
  mutate(alert(groups, id));
  return ruleTestFailures(groups, [id]);
}

function alert(groups: RuleGroup[], id: string) {
  const rule = groups.flatMap((g) => g.rules).find((r) => r.id === id);
  assert.ok(rule && rule.kind === "alert", `no alert ${id}`);
  return rule;
}

test("a generated rule test fails when the alert's threshold no longer matches the catalog", () => {
  assert.equal(
    failuresOf("web/error_rate/P1", () => undefined),
    "",
  );
  const failed = failuresOf(
    "web/error_rate/P1",
    (rule) => (rule.ownExpr = (rule.ownExpr ?? rule.expr).replace("> 0.05", "> 0.9")),
  );
  assert.match(failed, /web\/error_rate\/P1 fires/);
});

test("a generated rule test fails when an alert fires where it must stay quiet", () => {
  assert.equal(
    failuresOf("db/connections/P1", () => undefined),
    "",
  );
  const failed = failuresOf(
    "db/connections/P1",
    (rule) => (rule.ownExpr = (rule.ownExpr ?? rule.expr).replace("> 80", "> 1")),
  );
  assert.match(failed, /db\/connections\/P1 stays quiet/);
});

test("a generated rule test fails when an alert's `for` is longer than the outage it must catch", () => {
  assert.equal(
    failuresOf("web/probe", () => undefined),
    "",
  );
  const failed = failuresOf("web/probe", (rule) => (rule.forMs = 60 * 60_000));
  assert.match(failed, /web\/probe fires/);
});
