import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parser } from "@prometheus-io/lezer-promql";
import { stringify } from "yaml";
import { promqlError } from "../../catalog/promql";
import {
  DASHBOARDS,
  METRIC,
  REC,
  SLO_BUDGET_REMAINING_RECORD,
  SLO_OBJECTIVE_RECORD,
  SLO_WINDOWS,
  sloErrorRatioRecord,
} from "../../conventions";
import { buildDashboards, panelQueries } from "../../dashboards";
import { requireTool } from "../helpers/tools";
import { panelsOf, prod } from "./fixtures";

const KNOWN_METRICS = new Set<string>([
  ...Object.values(REC),
  ...Object.values(METRIC),
  ...SLO_WINDOWS.map(sloErrorRatioRecord),
  SLO_OBJECTIVE_RECORD,
  SLO_BUDGET_REMAINING_RECORD,
]);

/** Metric names of the vector selectors in a PromQL expression. */
function metricNames(expr: string): string[] {
  const names: string[] = [];
  const cursor = parser.parse(expr).cursor();
  do {
    if (cursor.name === "Identifier" && cursor.node.parent?.name === "VectorSelector")
      names.push(expr.slice(cursor.from, cursor.to));
  } while (cursor.next());
  return names;
}

const queries = panelQueries(prod, { service: "web" });

describe("dashboard queries", () => {
  it("lists the queries of every dashboard, panels and deploy annotations alike", () => {
    assert.deepEqual([...new Set(queries.map((q) => q.dashboard))], Object.keys(DASHBOARDS));
    const targets = buildDashboards(prod).flatMap((d) => panelsOf(d.json).flatMap((p) => p.targets ?? []));
    assert.equal(queries.filter((q) => !q.panel.startsWith("annotation: ")).length, targets.length);
    assert.equal(
      queries.filter((q) => q.panel === "annotation: Deploys (metrics)").length,
      Object.keys(DASHBOARDS).length,
    );
  });

  it("parses every query as PromQL", () => {
    for (const q of queries) assert.equal(promqlError(q.expr), undefined, `${q.dashboard}/${q.panel}: ${q.expr}`);
  });

  it("reads only series named in conventions.ts", () => {
    const used = new Set<string>();
    for (const q of queries) {
      const names = metricNames(q.expr);
      assert.ok(names.length > 0, `${q.dashboard}/${q.panel} reads no series: ${q.expr}`);
      for (const name of names) {
        assert.ok(KNOWN_METRICS.has(name), `${q.dashboard}/${q.panel} reads ${name}, not in conventions.ts`);
        used.add(name);
      }
    }
    for (const name of [
      ...Object.values(REC),
      SLO_OBJECTIVE_RECORD,
      SLO_BUDGET_REMAINING_RECORD,
      ...SLO_WINDOWS.map(sloErrorRatioRecord),
    ]) {
      assert.ok(used.has(name), `no dashboard shows ${name}`);
    }
  });

  it("fills in every template variable", () => {
    for (const q of queries)
      assert.doesNotMatch(q.expr.replaceAll('"$1"', ""), /\$/, `${q.dashboard}/${q.panel}: ${q.expr}`);
    const service = queries.filter((q) => q.dashboard === "service").map((q) => q.expr);
    assert.ok(service.includes('service:errors:ratio_rate5m{service=~"web"}'), service.join("\n"));
    assert.ok(queries.some((q) => q.expr.includes('probe_success{job=~"web-health"}[1h]')));
    assert.ok(queries.some((q) => q.expr.includes("rate(ops_external_api_requests_total[5m])")));
    assert.ok(queries.some((q) => q.expr.includes("changes(ops_deployments_total[1m])")));
  });

  it("uses in queries only variables the dashboard defines or Grafana provides", () => {
    const builtins = new Set(["__rate_interval", "__interval", "__range"]);
    for (const doc of buildDashboards(prod)) {
      const defined = new Set((doc.json.templating as { list: Array<{ name: string }> }).list.map((v) => v.name));
      const text = JSON.stringify(doc.json.panels) + JSON.stringify(doc.json.annotations);
      for (const [, name] of text.matchAll(/\$\{?([A-Za-z_]\w*)/g)) {
        assert.ok(defined.has(name) || builtins.has(name) || name.startsWith("__"), `${doc.key} uses $${name}`);
      }
    }
  });

  it("passes promtool's rule checker for every query", () => {
    const promtool = requireTool("promtool");
    const dir = mkdtempSync(join(tmpdir(), "dashboards-"));
    try {
      const rules = queries.map((q, i) => ({ record: `dashboard:query_${i}:check`, expr: q.expr }));
      writeFileSync(join(dir, "queries.yml"), stringify({ groups: [{ name: "dashboard-queries", rules }] }));
      execFileSync(promtool, ["check", "rules", join(dir, "queries.yml")], { stdio: "pipe" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
