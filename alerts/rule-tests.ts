/**
 * Generated `promtool test rules` cases: for every alert that carries a test, a rule file
 * holding exactly that alert in the form Prometheus loads it (folded: its condition record and
 * the shared alerting rule, alerts/fold.ts), with the recording rules it reads, and a test file
 * proving it fires at the expected time, with the model's labels and texts, on matching series
 * and stays quiet otherwise.
 */
import { formatDuration } from "../catalog/units";
import type { RecordingRule, RuleGroup } from "./model";
import { foldOf } from "./fold";
import { prometheusExpr, promRule } from "./prometheus-rules";
import { recordsRead, type ReadsCache } from "./records-read";
import { narrowedTo } from "./scope";
import { toYaml } from "./yaml";

export interface RuleTestFiles {
  /** `<name>.rules.yml` and `<name>.test.yml` → content. */
  files: Record<string, string>;
  /** The test files, to pass to `promtool test rules`. */
  tests: string[];
  /** Alerts without a generated test (hand-written rules, unsynthesisable selectors), by id. */
  untested: string[];
  /** The `service` label of each test's alert, by test file. */
  services: Record<string, string | undefined>;
}

/** Base name of the generated test of alert `id` in `group` (`<name>.test.yml`, `<name>.rules.yml`). */
export const ruleTestName = (group: string, id: string) => `${group}__${id}`.replace(/[^A-Za-z0-9_-]+/g, "_");

export function renderRuleTests(groups: RuleGroup[]): RuleTestFiles {
  const files: Record<string, string> = {};
  const tests: string[] = [];
  const untested: string[] = [];
  const services: Record<string, string | undefined> = {};
  // Recording rules by record and the service they compute for, in model order.
  const computing = new Map<string, RecordingRule[]>();
  const key = (record: string, service: string) => JSON.stringify([record, service]);
  for (const g of groups)
    for (const r of g.rules) {
      if (r.kind !== "record") continue;
      for (const service of r.labels.service !== undefined ? [r.labels.service] : (r.services ?? [])) {
        const k = key(r.record, service);
        const list = computing.get(k);
        if (list) list.push(r);
        else computing.set(k, [r]);
      }
    }
  const order = new Map(groups.flatMap((g) => g.rules).map((r, i) => [r, i]));
  const reads: ReadsCache = new Map();
  for (const group of groups) {
    for (const rule of group.rules) {
      if (rule.kind !== "alert") continue;
      const t = rule.test?.();
      if (!t) {
        untested.push(rule.id);
        continue;
      }
      const service = rule.labels.service;
      const ownExpr = rule.ownExpr ?? rule.expr;
      const deps = recordsRead(
        [...new Set((t.records ?? []).flatMap((record) => computing.get(key(record, service)) ?? []))]
          .sort((a, b) => order.get(a)! - order.get(b)!)
          .map((r) => ({ ...r, expr: narrowedTo(r, service) })),
        [ownExpr],
        reads,
      );
      const name = ruleTestName(group.name, rule.id);
      // The alert's own condition: suppression by other alerts has hand-written tests (test/fixtures/semantics).
      const own = { ...rule, expr: ownExpr };
      const folded = foldOf(rule);
      const rules = folded
        ? [...deps.map(promRule), { ...folded.record, expr: prometheusExpr(own) }, folded.alert]
        : [...deps, own].map(promRule);
      const interval = formatDuration(t.intervalMs);
      files[`${name}.rules.yml`] = toYaml({ groups: [{ name: group.name, interval, rules }] });
      const expected = {
        exp_labels: { ...rule.labels, ...t.extraLabels },
        exp_annotations: rule.annotations,
      };
      const firing = (ms: number) => ({ eval_time: formatDuration(ms), alertname: rule.alert, exp_alerts: [expected] });
      const silent = (ms: number) => ({ eval_time: formatDuration(ms), alertname: rule.alert, exp_alerts: [] });
      const onTime =
        t.firesAtMs === undefined
          ? []
          : [...(t.firesAtMs >= t.intervalMs ? [silent(t.firesAtMs - t.intervalMs)] : []), firing(t.firesAtMs)];
      const cases: unknown[] = [
        {
          name:
            t.firesAtMs === undefined
              ? `${rule.id} fires`
              : `${rule.id} fires at ${formatDuration(t.firesAtMs)}${t.firesAtMs >= t.intervalMs ? ", not one evaluation earlier" : ""}`,
          interval,
          input_series: t.fire,
          alert_rule_test: [...onTime, firing(t.evalAfterMs)],
        },
      ];
      if (t.dip && t.firesAtMs !== undefined) {
        cases.push({
          name: `${rule.id} fires at ${formatDuration(t.firesAtMs)} after its condition was clear for ${formatDuration(t.dip.ms)} from ${formatDuration(t.dip.fromMs)}, not one evaluation earlier`,
          interval,
          input_series: t.dip.series,
          alert_rule_test: [silent(t.firesAtMs - t.intervalMs), firing(t.firesAtMs)],
        });
      }
      if (t.quiet) {
        cases.push({
          name: `${rule.id} stays quiet`,
          interval,
          input_series: t.quiet,
          alert_rule_test: [silent(t.evalAfterMs)],
        });
      }
      if (t.atBound) {
        cases.push({
          name: `${rule.id} ${t.atBound.fires ? "fires" : "stays quiet"} exactly at its bound`,
          interval,
          input_series: t.atBound.series,
          alert_rule_test: [t.atBound.fires ? firing(t.evalAfterMs) : silent(t.evalAfterMs)],
        });
      }
      files[`${name}.test.yml`] = toYaml({
        rule_files: [`${name}.rules.yml`],
        evaluation_interval: interval,
        tests: cases,
      });
      tests.push(`${name}.test.yml`);
      services[`${name}.test.yml`] = service;
    }
  }
  return { files, tests, untested, services };
}
