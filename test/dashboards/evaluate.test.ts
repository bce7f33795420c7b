import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { stringify } from "yaml";
import { PANEL, type DashboardKey } from "../../conventions";
import { panelQueries } from "../../dashboards";
import { requireTool } from "../helpers/tools";
import { prod } from "./fixtures";

const queries = panelQueries(prod, { service: "web" });

function query(dashboard: DashboardKey, panel: string, contains = ""): string {
  const found = queries.filter((q) => q.dashboard === dashboard && q.panel === panel && q.expr.includes(contains));
  assert.equal(found.length, 1, `${dashboard}/${panel} containing ${contains}`);
  return found[0].expr;
}

/** Series at 1m steps, and what each panel query must return at 10m (promtool rule unit test). */
const inputSeries = [
  { series: 'slo:sli_error:ratio_rate1h{service="web", slo="availability"}', values: "0.5x10" },
  { series: 'slo:objective:ratio{service="web", slo="availability"}', values: "0.75x10" },
  { series: 'probe_success{job="web-health", probe="Frankfurt"}', values: "1x10" },
  { series: 'probe_success{job="web-health", probe="London"}', values: "0x10" },
  { series: 'probe_success{job="db-health", probe="London"}', values: "1x10" },
  { series: 'probe_ssl_earliest_cert_expiry{job="web-health"}', values: "864600x10" },
  { series: 'service:job_last_success:age_seconds{service="web"}', values: "7201x10" },
  { series: 'service:job_heartbeat:seconds{service="web"}', values: "3600x10" },
  { series: 'api:quota_used:calls{api="hunter"}', values: "200x10" },
  { series: 'api:quota_alert_at:calls{api="hunter"}', values: "400x10" },
];

const expectations: Array<{ expr: string; exp_samples: Array<{ labels: string; value: number }> }> = [
  {
    expr: query("slos", PANEL.sloBurn, "ratio_rate1h"),
    exp_samples: [{ labels: '{service="web", slo="availability"}', value: 2 }],
  },
  { expr: query("synthetics", PANEL.probeSuccess), exp_samples: [{ labels: '{service="web"}', value: 0.5 }] },
  { expr: query("synthetics", PANEL.tlsDaysLeft), exp_samples: [{ labels: '{service="web"}', value: 10 }] },
  { expr: query("overview", "Health checks failing"), exp_samples: [{ labels: "{}", value: 1 }] },
  {
    expr: query("overview", "Service status", "probe_success"),
    exp_samples: [
      { labels: '{service="db"}', value: 1 },
      { labels: '{service="web"}', value: 0 },
    ],
  },
  { expr: query("jobs", "Jobs overdue"), exp_samples: [{ labels: "{}", value: 1 }] },
  { expr: query("external-apis", "Quota used of alert line"), exp_samples: [{ labels: '{api="hunter"}', value: 0.5 }] },
];

describe("dashboard query results", () => {
  it("computes burn rate, probe status, TLS days, overdue jobs and quota share as intended (promtool)", () => {
    const promtool = requireTool("promtool");
    const dir = mkdtempSync(join(tmpdir(), "dashboards-eval-"));
    try {
      writeFileSync(join(dir, "empty.yml"), stringify({ groups: [] }));
      const promqlTests = expectations.map((e) => ({ ...e, eval_time: "10m" }));
      writeFileSync(
        join(dir, "test.yml"),
        stringify({
          rule_files: ["empty.yml"],
          evaluation_interval: "1m",
          tests: [{ interval: "1m", input_series: inputSeries, promql_expr_test: promqlTests }],
        }),
      );
      const run = spawnSync(promtool, ["test", "rules", join(dir, "test.yml")], { encoding: "utf8" });
      assert.equal(run.status, 0, run.stdout + run.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
