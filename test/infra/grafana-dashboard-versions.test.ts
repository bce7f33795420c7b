/**
 * Dashboards follow `grafana.version`: the `schemaVersion` that Grafana understands (facts in
 * infra/provider-facts.ts `DASHBOARD_SCHEMA`, cited per release) and no panel option it lacks.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { buildDashboards } from "../../dashboards";
import { validateCatalog } from "../../catalog/validate";
import { dashboardForGrafana, dashboardSchemaVersion } from "../../infra/grafana/dashboard-versions";
import { runProgramUnderMocks, type RegisteredResource } from "../../infra/offline-engine";
import { GOOD } from "../helpers/catalogs";

const allKinds = () => parse(readFileSync(join(GOOD, "all-kinds", "catalog.yaml"), "utf8")) as Record<string, unknown>;
const dashboardsOf = (resources: RegisteredResource[]) =>
  resources
    .filter((r) => r.type === "grafana:oss/dashboard:Dashboard")
    .map((r) => JSON.parse(r.inputs.configJson as string) as { schemaVersion: number; panels: Panel[] });
interface Panel {
  type: string;
  options?: Record<string, unknown>;
  panels?: Panel[];
}
const statOptions = (panels: Panel[]): Array<Record<string, unknown>> =>
  panels.flatMap((p) => [...(p.type === "stat" ? [p.options ?? {}] : []), ...statOptions(p.panels ?? [])]);

test("each Grafana version gets the newest dashboard schemaVersion it understands", () => {
  const expected: Array<[[number, number, number], number]> = [
    [[10, 4, 0], 39],
    [[11, 0, 0], 39],
    [[11, 3, 1], 39],
    [[11, 5, 2], 39],
    [[11, 6, 0], 41],
    [[12, 0, 0], 41],
    [[12, 2, 1], 41],
    [[12, 3, 0], 42],
    [[13, 0, 0], 42],
  ];
  for (const [version, schemaVersion] of expected)
    assert.equal(dashboardSchemaVersion(version), schemaVersion, version.join("."));
});

for (const [version, schemaVersion, colorMode] of [
  ["11.0", 39, false],
  ["11.1", 39, true],
  ["11.6", 41, true],
  ["12.0", 41, true],
  ["12.3", 42, true],
] as const)
  test(`the prod stack for Grafana ${version} sends dashboards with schemaVersion ${schemaVersion}${colorMode ? "" : " and no stat percentChangeColorMode"}`, async () => {
    const raw = { ...allKinds(), grafana: { ...(allKinds().grafana as object | undefined), version } };
    const dashboards = dashboardsOf((await runProgramUnderMocks(raw, "prod")).resources);
    assert.equal(dashboards.length, 7);
    for (const d of dashboards) assert.equal(d.schemaVersion, schemaVersion);
    const stats = dashboards.flatMap((d) => statOptions(d.panels));
    assert.ok(stats.length > 0);
    for (const o of stats) assert.equal(o.percentChangeColorMode, colorMode ? "standard" : undefined);
  });

test("the local stack's dashboards are written for its pinned Grafana image (11.3.1: schemaVersion 39)", async () => {
  const dashboards = dashboardsOf((await runProgramUnderMocks(allKinds(), "local")).resources);
  assert.equal(dashboards.length, 7);
  for (const d of dashboards) assert.equal(d.schemaVersion, 39);
});

test("a percent change color mode Grafana 11.0 cannot draw is refused naming the dashboard", () => {
  const [doc] = buildDashboards(validateCatalog(allKinds()));
  const panels = (doc.json.panels as Panel[]).map((p) =>
    p.type === "stat" ? { ...p, options: { ...p.options, percentChangeColorMode: "inverted" } } : p,
  );
  assert.throws(
    () => dashboardForGrafana({ ...doc, json: { ...doc.json, panels } }, [11, 0, 0]),
    new RegExp(
      `^Error: dashboard ${doc.key}: percentChangeColorMode "inverted" needs Grafana 11\\.1\\.0 or later \\(grafana\\.version is 11\\.0\\.0\\)$`,
    ),
  );
});
