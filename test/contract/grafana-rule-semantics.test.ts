/**
 * The hand-written promtool tests of test/fixtures/semantics/ (literal series and times for every
 * alert family, suppression, the burn rates against Sloth's), run on the Grafana rules `plan`
 * registers for their catalogs, translated from Grafana's semantics
 * (`test/helpers/grafana-rule-promql.ts`): the same evaluations fire as with the deployed
 * Prometheus rules. The family files are written for each alert's own condition
 * (test/alerts/semantics.test.ts), so one the suppression in both targets' queries makes fail must
 * fail identically on both and pass with the planned queries' own conditions; suppression.test.yml
 * is written for the whole query and must pass as it is.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCatalogFile } from "../../catalog/load";
import { generateRuleGroups } from "../../alerts/generate";
import { cli } from "../helpers/cli-in-process";
import { ROOT } from "../helpers/catalogs";
import { handWrittenTestsTwice, plannedRules, type PlannedGroup } from "../helpers/grafana-twin";

const DIR = join(ROOT, "test", "fixtures", "semantics");

/** Test files by the catalog they run against: `<name>.catalog.yaml` beside them, else catalog.yaml. */
const byCatalog = new Map<string, Record<string, string>>();
for (const f of readdirSync(DIR)
  .filter((f) => f.endsWith(".test.yml"))
  .sort()) {
  const own = f.replace(/\.test\.yml$/, ".catalog.yaml");
  const catalog = existsSync(join(DIR, own)) ? own : "catalog.yaml";
  byCatalog.set(catalog, { ...byCatalog.get(catalog), [f]: readFileSync(join(DIR, f), "utf8") });
}

/** The rule files the tests read besides the rendered rules (Sloth's). */
const BESIDE = Object.fromEntries(
  readdirSync(DIR)
    .filter((f) => f.endsWith(".rules.yml"))
    .map((f) => [f, readFileSync(join(DIR, f), "utf8")]),
);

const plans = new Map<string, Promise<{ groups: PlannedGroup[]; datasourceUid: string }>>();

/** The prod plan of a semantics catalog (given the Grafana URL and runbook base a prod stack requires), once per catalog. */
function planOf(catalog: string): Promise<{ groups: PlannedGroup[]; datasourceUid: string }> {
  if (!plans.has(catalog)) plans.set(catalog, runPlan(catalog));
  return plans.get(catalog)!;
}

async function runPlan(catalog: string): Promise<{ groups: PlannedGroup[]; datasourceUid: string }> {
  const dir = mkdtempSync(join(tmpdir(), "ops-monitoring-semantics-plan-"));
  try {
    const copy = join(dir, catalog);
    writeFileSync(
      copy,
      `${readFileSync(join(DIR, catalog), "utf8")}\ngrafana: { url: https://sem.grafana.net }\nrunbooks: { base_url: https://runbooks.example.com }\n`,
    );
    const plan = await cli(["plan", "--catalog", copy, "--stack", "prod", "--json"]);
    assert.equal(plan.status, 0, plan.stderr);
    return plannedRules(plan.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const NOTIFICATIONS_FAILING =
  /^NotificationsFailing \(monitoring\/notifications-failing\): refId A queries data source grafanacloud-usage,/;

for (const [catalog, tests] of byCatalog) {
  test(`the Grafana rules planned for semantics/${catalog} fire as the deployed Prometheus rules on ${Object.keys(tests).join(", ")}`, async () => {
    const { groups, datasourceUid } = await planOf(catalog);
    const model = generateRuleGroups(loadCatalogFile(join(DIR, catalog)));
    const r = await handWrittenTestsTwice(tests, model, groups, datasourceUid, catalog === "catalog.yaml", BESIDE);
    assert.deepEqual(r.problems, [], r.problems.join("\n\n"));
    assert.deepEqual(
      r.refused.filter((why) => !NOTIFICATIONS_FAILING.test(why)),
      [],
    );
    assert.equal(r.compared, Object.keys(tests).length);
    console.log(
      `semantics/${catalog}: ${r.compared} hand-written files, ${r.passedBoth} met as written, ${r.ownChecked} failing identically under suppression and met by the queries' own conditions`,
    );
  });
}

test("a ProbeDown planned with NoData = OK instead of KeepLast fails the probe semantics naming the file", async () => {
  const { groups, datasourceUid } = await planOf("catalog.yaml");
  const broken = JSON.parse(JSON.stringify(groups)) as PlannedGroup[];
  for (const r of broken.flatMap((g) => g.rules)) if (r.name === "ProbeDown (web/probe)") r.noDataState = "OK";
  const model = generateRuleGroups(loadCatalogFile(join(DIR, "catalog.yaml")));
  const tests = { "probes.test.yml": byCatalog.get("catalog.yaml")!["probes.test.yml"] };
  const sound = await handWrittenTestsTwice(tests, model, groups, datasourceUid, true);
  assert.deepEqual(sound.problems, []);
  const bad = await handWrittenTestsTwice(tests, model, broken, datasourceUid, true);
  assert.ok(bad.problems.length > 0, "KeepLast → OK went unnoticed");
  assert.match(bad.problems[0], /^probes\.test\.yml \(probes\.test\.yml\): Grafana FAILED:[\s\S]*alertname: ProbeDown/);
});
