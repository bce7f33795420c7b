/**
 * Alerts of hand-written rule files get a panel as catalog `rules:` do: their expression is
 * recorded as `service:custom_rule:value{service, rule}` for the service the rule file declares,
 * plotted on **Service › Hand-written rules**, which their `dashboard_url` opens. Proven by
 * evaluating the panel's query with promtool over the rendered rule files.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, it } from "node:test";
import { stringify } from "yaml";
import { renderArtifacts } from "../../artifacts";
import { validateCatalog } from "../../catalog/validate";
import { PANEL } from "../../conventions";
import { panelQueries } from "../../dashboards";
import { requireTool } from "../helpers/tools";

const catalog = validateCatalog(
  {
    system: "shop",
    grafana: { url: "https://shop.grafana.example" },
    services: [
      { name: "web", kind: "frontend" },
      { name: "db", kind: "database" },
    ],
    rule_files: [{ path: "crm.yml", service: "db", severity_map: { critical: "P1", warning: "P2" } }],
  },
  "rule-file-panels",
);

const crm = `
groups:
  - name: crm
    rules:
      - alert: CrmBacklogHigh
        expr: crm_backlog > 100
        labels: { severity: warning }
      - alert: CrmBacklogHigh
        expr: crm_backlog > 1000
        labels: { severity: critical }
      - alert: CrmSyncStalled
        expr: crm_sync_errors > 0
        labels: { severity: warning, service: web }
        annotations: { dashboard_url: "https://crm.example/dashboards/sync" }
`;

const artifacts = renderArtifacts(catalog, { customRules: { "crm.yml": crm } });
const ruleFiles = Object.keys(artifacts).filter((p) => p.startsWith("prometheus/rules/"));
const panel = (service: string) => {
  const found = panelQueries(catalog, { service }).filter(
    (q) => q.dashboard === "service" && q.panel === PANEL.customRules,
  );
  assert.equal(found.length, 1);
  return found[0].expr;
};

describe("panels of rule-file alerts", () => {
  it("plots each rule-file alert's expression on its declared service's Hand-written rules panel (promtool)", () => {
    const promtool = requireTool("promtool");
    const dir = mkdtempSync(join(tmpdir(), "rule-file-panels-"));
    try {
      for (const path of ruleFiles) writeFileSync(join(dir, basename(path)), artifacts[path]);
      const sample = (service: string, rule: string, value: number) => ({
        labels: `service:custom_rule:value{rule="${rule}", service="${service}"}`,
        value,
      });
      writeFileSync(
        join(dir, "test.yml"),
        stringify({
          rule_files: ruleFiles.map((p) => basename(p)),
          evaluation_interval: "1m",
          tests: [
            {
              interval: "1m",
              input_series: [
                { series: "crm_backlog", values: "1500x10" },
                { series: "crm_sync_errors", values: "3x10" },
              ],
              promql_expr_test: [
                {
                  expr: panel("db"),
                  eval_time: "10m",
                  exp_samples: [sample("db", "CrmBacklogHigh/P1", 1500), sample("db", "CrmBacklogHigh/P2", 1500)],
                },
                { expr: panel("web"), eval_time: "10m", exp_samples: [sample("web", "CrmSyncStalled", 3)] },
              ],
            },
          ],
        }),
      );
      const run = spawnSync(promtool, ["test", "rules", join(dir, "test.yml")], { encoding: "utf8" });
      assert.equal(run.status, 0, run.stdout + run.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("links each rule-file alert to that panel for its service, unless the file gives a dashboard_url", () => {
    const text = ruleFiles.map((p) => artifacts[p]).join("\n");
    const backlog = "https://shop.grafana.example/d/shop-service/shop-service-red?var-service=db&viewPanel=9";
    assert.equal(text.split(`dashboard_url: '${backlog}'`).length - 1, 2, text);
    assert.ok(text.includes("dashboard_url: https://crm.example/dashboards/sync"), text);
  });

  it("leaves the published rule group as written: the records go to the services' group", () => {
    const custom = artifacts[ruleFiles.find((p) => p.includes("custom"))!];
    assert.doesNotMatch(custom, /record:/);
    assert.match(artifacts["prometheus/rules/shop-alerts.yml"], /record: service:custom_rule:value/);
  });
});
