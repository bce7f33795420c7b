/**
 * Escalation in prod: the Grafana rules the prod stack registers for the catalog of
 * test/fixtures/semantics/escalation.test.yml, read back as Prometheus rules (query A as the
 * expression; a value-form rule's `$A > 0` as `(A) > 0`; the same pending period and labels),
 * pass that hand-written promtool test too: steady, dip, flap, recovery and per-series cases
 * escalate at the same minutes in both targets. Grafana 11.0 (no recording rules, every record
 * expanded inline) and 12.0.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateRuleGroups } from "../../alerts/generate";
import { toYaml } from "../../alerts/yaml";
import { loadCatalogFile } from "../../catalog/load";
import { LABEL } from "../../conventions";
import { PRESENCE_MATH, VALUE_MATH, type GrafanaRuleGroup } from "../../infra/grafana/rule-groups";
import { prodRuleGroups } from "../../infra/grafana/versions";
import { findBinary } from "../../verify/tools";

const DIR = join(__dirname, "..", "fixtures", "semantics");
const catalog = loadCatalogFile(join(DIR, "escalation.catalog.yaml"));

/** Grafana rule groups as a Prometheus rule file: what each rule's query and math fire on. */
function asPrometheus(groups: GrafanaRuleGroup[]): string {
  return toYaml({
    groups: groups.map((g) => ({
      name: g.name,
      interval: `${g.intervalSeconds}s`,
      rules: g.rules.map((r) => {
        const [query, math] = r.datas.map((d) => JSON.parse(d.model) as { expr: string; expression?: string });
        if (r.record) return { record: r.record.metric, expr: query.expr, labels: r.labels };
        assert.ok([PRESENCE_MATH, VALUE_MATH].includes(math.expression!), `${r.name}: math ${math.expression}`);
        return {
          alert: r.labels[LABEL.alert],
          expr: math.expression === VALUE_MATH ? `(${query.expr}) > 0` : query.expr,
          for: r.for,
          labels: r.labels,
        };
      }),
    })),
  });
}

for (const version of [
  [11, 0, 0],
  [12, 0, 0],
] as const) {
  test(`Grafana ${version.join(".")}: the planned rules escalate as escalation.test.yml says, as Prometheus does`, () => {
    const promtool = findBinary("promtool");
    assert.ok(promtool, "promtool is not installed");
    const versioned = {
      ...catalog,
      grafanaVersion: { version: [...version] as [number, number, number], recordingRules: true },
    };
    const groups = prodRuleGroups(versioned, generateRuleGroups(versioned), "prom");
    const copies = groups.flatMap((g) => g.rules).filter((r) => r.labels[LABEL.escalation]);
    assert.deepEqual(copies.map((r) => r.name).sort(), [
      "ProbeDown (shop/probe/escalation)",
      "QueueStuck (shop/custom/QueueStuck/escalation)",
    ]);
    const dir = mkdtempSync(join(tmpdir(), "grafana-escalation-"));
    try {
      writeFileSync(join(dir, "rules.yml"), asPrometheus(groups));
      copyFileSync(join(DIR, "escalation.test.yml"), join(dir, "escalation.test.yml"));
      const r = spawnSync(promtool, ["test", "rules", "escalation.test.yml"], { cwd: dir, encoding: "utf8" });
      assert.equal(r.status, 0, r.stdout + r.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
