/** `grafana.version`: the prod rule groups use only what that Grafana supports, and every alert still works. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { renderRuleTests } from "../../alerts/rule-tests";
import { ruleGroupsOf } from "../../artifacts";
import { CatalogError } from "../../catalog/diagnostics";
import { validateCatalog } from "../../catalog/validate";
import { grafanaFeatures, rulesForGrafana } from "../../infra/grafana/versions";
import { runProgramUnderMocks, type RegisteredResource } from "../../infra/offline-engine";
import { GOOD, ROOT } from "../helpers/catalogs";
import { cli } from "../helpers/cli-in-process";
import { requireTool } from "../helpers/tools";

interface Rule {
  uid?: string;
  name: string;
  record?: { metric: string; from: string; targetDatasourceUid?: string };
  datas: Array<{ refId: string; model: string }>;
}

const allKinds = () => parse(readFileSync(join(GOOD, "all-kinds", "catalog.yaml"), "utf8")) as Record<string, unknown>;
const withGrafana = (grafana: Record<string, unknown>) => {
  const raw = allKinds();
  return { ...raw, grafana: { ...(raw.grafana as object | undefined), ...grafana } };
};
const rulesOf = (resources: RegisteredResource[]) =>
  resources.filter((r) => r.type === "grafana:alerting/ruleGroup:RuleGroup").flatMap((g) => g.inputs.rules as Rule[]);
const queryOf = (rule: Rule) => (JSON.parse(rule.datas.find((d) => d.refId === "A")!.model) as { expr: string }).expr;

/** Names the catalog's recording rules write. */
const recordNames = (raw: unknown) =>
  new Set(
    ruleGroupsOf(validateCatalog(raw), { customRules: {}, profile: "prod" }).flatMap((g) =>
      g.rules.flatMap((r) => (r.kind === "record" ? [r.record] : [])),
    ),
  );

test("by default (Grafana Cloud, 12.x) rules are recording rules writing to the data source, each with an explicit uid", async () => {
  const rules = rulesOf((await runProgramUnderMocks(allKinds(), "prod")).resources);
  const records = rules.filter((r) => r.record);
  assert.ok(records.length > 0);
  for (const r of records) assert.equal(r.record!.targetDatasourceUid, "grafanacloud-prom");
  for (const r of rules) assert.match(r.uid ?? "", /^[a-z0-9-]+$/, r.name);
});

test("Grafana 11.1 gets no recording rule and no rule uid; alerts read only raw metrics, recording expressions inline", async () => {
  const raw = withGrafana({ version: "11.1" });
  const rules = rulesOf((await runProgramUnderMocks(raw, "prod")).resources);
  assert.ok(rules.length > 0);
  assert.deepEqual(
    rules.filter((r) => r.record || r.uid !== undefined).map((r) => r.name),
    [],
  );
  const recorded = recordNames(raw);
  assert.ok(recorded.has("service:errors:ratio_rate5m"));
  for (const r of rules) {
    const expr = queryOf(r);
    for (const name of recorded)
      assert.ok(
        !new RegExp(`(^|[^a-z_:])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}([^a-z0-9_:]|$)`).test(expr),
        `${r.name} still reads ${name}: ${expr}`,
      );
  }
});

test("with recording expressions inline every alert still fires on matching series and stays quiet otherwise (promtool test rules, no recording rule loaded)", () => {
  const promtool = requireTool("promtool");
  const catalog = validateCatalog(withGrafana({ version: "11.1" }));
  const inlined = rulesForGrafana(
    ruleGroupsOf(catalog, { customRules: {}, profile: "prod" }),
    grafanaFeatures(catalog),
  );
  assert.deepEqual(
    inlined.flatMap((g) => g.rules).filter((r) => r.kind === "record"),
    [],
  );
  const { files, tests } = renderRuleTests(inlined);
  assert.ok(tests.length > 20, `${tests.length} tests`);
  const dir = mkdtempSync(join(tmpdir(), "inlined-"));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const r = spawnSync(promtool, ["test", "rules", ...tests], { cwd: dir, encoding: "utf8" });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("recording_rules: false inlines on any version; 11.4 records without uids; 11.6 adds uids; targetDatasourceUid from 12.0", async () => {
  const shape = async (grafana: Record<string, unknown>) => {
    const rules = rulesOf((await runProgramUnderMocks(withGrafana(grafana), "prod")).resources);
    const record = rules.find((r) => r.record);
    return {
      records: rules.some((r) => r.record),
      uids: rules.every((r) => r.uid !== undefined),
      target: record?.record?.targetDatasourceUid !== undefined,
    };
  };
  assert.deepEqual(await shape({ version: "12.1", recording_rules: false }), {
    records: false,
    uids: true,
    target: false,
  });
  assert.deepEqual(await shape({ version: "11.4.0" }), { records: true, uids: false, target: false });
  assert.deepEqual(await shape({ version: "11.6.1" }), { records: true, uids: true, target: false });
  assert.deepEqual(await shape({ version: "12.0.0" }), { records: true, uids: true, target: true });
});

test("a Grafana version below 11.0 or not a version is refused at grafana.version", () => {
  for (const version of ["10.4", "eleven"]) {
    assert.throws(
      () => validateCatalog(withGrafana({ version })),
      (e: unknown) => e instanceof CatalogError && /grafana\.version/.test(e.message),
      version,
    );
  }
});

test("plan passes the provider facts for an old Grafana too", async () => {
  const dir = mkdtempSync(join(tmpdir(), "old-grafana-"));
  try {
    writeFileSync(join(dir, "catalog.yaml"), stringify(withGrafana({ version: "11.0" })));
    const r = await cli(["plan", "--catalog", join(dir, "catalog.yaml"), "--stack", "prod"], { cwd: ROOT });
    assert.equal(r.status, 0, r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
