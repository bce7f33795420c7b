/**
 * Generated `promtool test rules` cases: for every alert that carries a test, a rule file
 * holding exactly that alert (and the recording rules it reads) and a test file proving it
 * fires at the expected time on matching series and stays quiet otherwise.
 */
import { parser } from "@prometheus-io/lezer-promql";
import { formatDuration } from "../catalog/units";
import type { RecordingRule, RuleGroup } from "./model";
import { promGroup } from "./prometheus-rules";
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
  const parsed = new Map<string, Selector[] | undefined>();
  const selectors = (expr: string) => {
    if (!parsed.has(expr)) parsed.set(expr, selectorsOf(expr));
    return parsed.get(expr);
  };
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
      const deps = readRules(
        ownExpr,
        selectors,
        [...new Set((t.records ?? []).flatMap((record) => computing.get(key(record, service)) ?? []))]
          .sort((a, b) => order.get(a)! - order.get(b)!)
          .map((r) => ({ ...r, expr: narrowedTo(r, service) })),
      );
      const name = ruleTestName(group.name, rule.id);
      files[`${name}.rules.yml`] = toYaml({
        // The alert's own condition: suppression by other alerts has hand-written tests (test/fixtures/semantics).
        groups: [promGroup({ ...group, intervalMs: t.intervalMs }, [...deps, { ...rule, expr: ownExpr }])],
      });
      const interval = formatDuration(t.intervalMs);
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

/**
 * The recording rules of `candidates` that `expr` reads, directly or through another: a rule whose
 * static labels contradict an equality matcher of every selector of its record (an availability
 * alert's `slo="availability"` and the latency SLO's `slo: latency` windows) writes no series the
 * alert could see. Order kept; every candidate when a selector's metric name is not plain.
 */
function readRules(
  expr: string,
  selectors: (expr: string) => Selector[] | undefined,
  candidates: RecordingRule[],
): RecordingRule[] {
  if (candidates.every((r) => Object.keys(r.labels).length === 0)) return candidates;
  const read = new Set<RecordingRule>();
  const readers = [expr];
  for (let i = 0; i < readers.length && read.size < candidates.length; i++) {
    if (i > 0 && !mayRead(readers[i], candidates)) continue;
    const sels = selectors(readers[i]);
    for (const r of candidates) {
      if (read.has(r)) continue;
      const matches = (sel: Selector) =>
        (sel.name === undefined || sel.name === r.record) &&
        Object.entries(sel.equal).every(([k, v]) => r.labels[k] === undefined || r.labels[k] === v);
      if (!sels || sels.some(matches)) {
        read.add(r);
        readers.push(r.expr);
      }
    }
  }
  return candidates.filter((r) => read.has(r));
}

/** Whether `expr` names one of `candidates`' records or has a selector that may match any metric (no name before `{`). */
function mayRead(expr: string, candidates: RecordingRule[]): boolean {
  if (expr.includes("__name__") || candidates.some((r) => expr.includes(r.record))) return true;
  for (let i = expr.indexOf("{"); i >= 0; i = expr.indexOf("{", i + 1)) {
    let j = i - 1;
    while (j >= 0 && expr[j] === " ") j--;
    if (j < 0 || !/[A-Za-z0-9_:]/.test(expr[j])) return true;
  }
  return false;
}

interface Selector {
  /** The metric name; undefined when the selector may match any. */
  name?: string;
  /** Equality matchers, label → value. */
  equal: Record<string, string>;
}

/** The vector selectors of `expr`; undefined when it does not parse or a matcher is not plain. */
function selectorsOf(expr: string): Selector[] | undefined {
  const out: Selector[] = [];
  let plain = true;
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError || node.name === "QuotedLabelMatcher" || node.name === "QuotedLabelName") plain = false;
      if (node.name !== "VectorSelector") return plain;
      const sel: Selector = { equal: {} };
      for (let c = node.node.firstChild; c; c = c.nextSibling) {
        if (c.name === "Identifier") sel.name = expr.slice(c.from, c.to);
        if (c.name !== "LabelMatchers") continue;
        for (let m = c.firstChild; m; m = m.nextSibling) {
          if (m.name !== "UnquotedLabelMatcher") continue;
          const label = m.getChild("LabelName");
          const op = m.getChild("MatchOp")?.firstChild;
          const value = m.getChild("StringLiteral");
          if (!label || !op || !value) {
            plain = false;
            continue;
          }
          if (op.name !== "EqlSingle") continue;
          const text = stringValue(expr.slice(value.from, value.to));
          if (text === undefined) {
            plain = false;
            continue;
          }
          const l = expr.slice(label.from, label.to);
          if (l === "__name__") sel.name = text;
          else sel.equal[l] = text;
        }
      }
      out.push(sel);
      return false;
    },
  });
  return plain ? out : undefined;
}

/** A double-quoted PromQL string's value (JSON's escapes); undefined for any other literal. */
function stringValue(literal: string): string | undefined {
  if (!literal.startsWith('"')) return undefined;
  try {
    return JSON.parse(literal) as string;
  } catch {
    return undefined;
  }
}
