import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadCatalogFile } from "../../catalog/load";
import { CatalogError } from "../../catalog/diagnostics";
import { ruleGroupsOf } from "../../artifacts";
import { readCustomRules } from "../../alerts/custom-files";
import { GOOD, ROOT } from "../helpers/catalogs";

const catalog = loadCatalogFile(join(GOOD, "all-kinds", "catalog.yaml"));
const FIXTURES = join(ROOT, "test", "fixtures", "custom-rules");

test("hand-written rule files in alerts/custom are completed to the alert contract", () => {
  const groups = ruleGroupsOf(catalog, {
    customRules: readCustomRules(join(FIXTURES, "good"), catalog.system),
    profile: "prod",
  });
  const group = groups.find((g) => g.name === "acme-custom-crm");
  assert.ok(group, "the custom group is rendered with a system-prefixed name");
  const alert = group.rules.find((r) => r.kind === "alert")!;
  assert.equal(alert.kind, "alert");
  assert.deepEqual(alert.labels, { service: "db", severity: "P1", signal: "custom", team: "sre" });
  assert.equal(alert.annotations.summary, "CRM sync has not run for an hour");
  assert.match(alert.annotations.runbook_url, /\/docs\/runbooks\/custom\.md$/);
  assert.equal(alert.forMs, 600_000);
  assert.ok(group.rules.some((r) => r.kind === "record" && r.record === "crm:orphaned_records:max"));
});

test("every problem of a hand-written rule file is reported at once with its file, group and rule", () => {
  const err = (() => {
    try {
      ruleGroupsOf(catalog, { customRules: readCustomRules(join(FIXTURES, "bad"), catalog.system), profile: "prod" });
    } catch (e) {
      return e;
    }
    assert.fail("the broken rule file was accepted");
  })();
  assert.ok(err instanceof CatalogError);
  const lines = err.message
    .split("\n")
    .slice(1)
    .map((l) => l.trim());
  assert.deepEqual(lines, [
    "alerts/custom/broken.yml: groups[broken].rules[NoOwner].labels.service: is required (a service or external API of the catalog), or rule_files[].service for the file",
    'alerts/custom/broken.yml: groups[broken].rules[BadExpr].expr: PromQL does not parse at character 18 (near "e(x[5m]) >")',
    'alerts/custom/broken.yml: groups[broken].rules[Stranger].labels.service: "mainframe" is not a service or external API of the catalog',
    'alerts/custom/broken.yml: groups[broken].rules[Stranger].labels.severity: "P7" is not a severity (P0..P3, SEV1..SEV4 or critical|high|medium|low); map it with rule_files[].severity_map',
    'alerts/custom/broken.yml: groups[broken].rules[Stranger].labels.signal: "vibes" is not one of availability | error_rate | latency | probe | heartbeat | saturation | quota | budget | tls | slo_burn | custom',
    'alerts/custom/broken.yml: groups[broken].rules[Stranger].for: "soon" is not a duration like 5m',
  ]);
});
