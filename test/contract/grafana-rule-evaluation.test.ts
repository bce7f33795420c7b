/**
 * Prod evaluates what was tested: every Grafana alert rule `plan --json` registers (its query,
 * expressions, threshold, `for`, no-data handling, read back from the plan and translated to
 * PromQL from Grafana's semantics, `test/helpers/grafana-rule-promql.ts`) runs the generated
 * promtool test of its Prometheus twin — the test `verify` runs — on the same series, and fires
 * at the same evaluations with the same labels (real promtool; `test/helpers/grafana-twin.ts`).
 *
 * A test the Grafana rule passes is met by the twin too (verify proves each alert's own
 * condition); one it does not pass must fail identically with the deployed Prometheus rule —
 * the suppression both targets add (the service's P0 SLO burn hides its P2 error rate under the
 * P2 test's series) — and then, so that the test is not vacuous, the planned query without its
 * top-level `unless on ()` suppression clause must meet the test as written.
 * Both sides load every recording rule the alert's query reads, its suppression's included (all
 * of them computed inline in the Grafana query when Grafana runs no recording rules).
 * NotificationsFailing is the one rule that reads another data source in prod (Grafana Cloud's
 * usage metrics), so no Prometheus series can run it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parse, stringify } from "yaml";
import { loadCatalog } from "../../catalog/load";
import { ruleGroupsOf } from "../../artifacts";
import { customRulesDirFor, readCustomRules } from "../../alerts/custom-files";
import { renderRuleTests } from "../../alerts/rule-tests";
import { cli } from "../helpers/cli-in-process";
import { GOOD, ROOT, holdsProdCatalog } from "../helpers/catalogs";
import { generatedTestsTwice, plannedRules } from "../helpers/grafana-twin";

const CATALOGS = [
  "Pulumi.prod.yaml",
  ...readdirSync(join(ROOT, "examples"))
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => join("examples", f))
    .filter((f) => !holdsProdCatalog(join(ROOT, f))),
  // Policies, escalation of several severities, mute timings, two health checks per service.
  relative(ROOT, join(GOOD, "all-kinds", "catalog.yaml")),
];

/** Runs every generated twin test of the catalog in `file` (its hand-written rule files beside it) on its planned Grafana rules. */
async function twinsOf(label: string, file: string) {
  const plan = await cli(["plan", "--catalog", file, "--stack", "prod", "--json"], { cwd: ROOT });
  assert.equal(plan.status, 0, plan.stderr);
  const { groups, datasourceUid } = plannedRules(plan.stdout);
  const catalog = loadCatalog(file).catalog;
  const model = ruleGroupsOf(catalog, {
    customRules: readCustomRules(customRulesDirFor(file), catalog.system),
    profile: "prod",
  });

  const r = await generatedTestsTwice(model, groups, datasourceUid);
  assert.deepEqual(r.problems, [], r.problems.join("\n\n"));
  // Nothing left out unnamed: the refused rules are the ones reading another data source…
  assert.deepEqual(
    r.refused,
    r.refused.filter((why) =>
      /^NotificationsFailing \(monitoring\/notifications-failing\): refId A queries data source grafanacloud-usage,/.test(
        why,
      ),
    ),
  );
  // …and the alerts without a run are the ones the rule model has no generated test for.
  const untested = new Set(renderRuleTests(model).untested);
  assert.deepEqual(
    r.untested,
    groups.flatMap((g) =>
      g.rules
        .filter((x) => x.condition && untested.has(x.name.slice(x.labels!.alert.length + 2, -1)))
        .map((x) => x.name),
    ),
  );
  const alerts = groups.flatMap((g) => g.rules).filter((x) => x.condition).length;
  assert.equal(r.compared + r.refused.length + r.untested.length, alerts, "every planned alert accounted for");
  assert.ok(r.passedBoth >= r.compared / 2, `${r.passedBoth} of ${r.compared} tests met as written`);
  assert.equal(
    r.ownChecked,
    r.compared - r.passedBoth,
    "every suppressed twin test also run on the rule's own condition",
  );
  console.log(
    `${label}: ${alerts} Grafana alerts, ${r.compared} twin tests (${r.passedBoth} met as written, ${r.compared - r.passedBoth} failing identically under suppression and met by the rule's own condition), ${r.untested.length} without generated test, ${r.refused.length} on another data source`,
  );
}

for (const path of CATALOGS)
  test(`every Grafana alert rule planned for ${path} fires at the same evaluations as its Prometheus twin on the twin's generated promtool tests`, () =>
    twinsOf(path, join(ROOT, path)));

test("with the recording expressions computed inline in each alert (grafana.recording_rules: false, as Grafana 11.0–11.1 get them), every planned alert of all-kinds fires as its twin", async () => {
  const raw = parse(readFileSync(join(GOOD, "all-kinds", "catalog.yaml"), "utf8")) as { grafana?: object };
  const dir = mkdtempSync(join(tmpdir(), "ops-monitoring-inline-"));
  try {
    const file = join(dir, "catalog.yaml");
    writeFileSync(file, stringify({ ...raw, grafana: { ...raw.grafana, recording_rules: false } }));
    await twinsOf("all-kinds with recording_rules: false", file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
