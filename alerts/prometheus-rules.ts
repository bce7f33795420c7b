/** Rule model → Prometheus rule files, one file per group. */
import { formatDuration } from "../catalog/units";
import { ruleFileName } from "../conventions";
import type { Rule, RuleGroup } from "./model";
import { GENERATED_HEADER, toYaml } from "./yaml";

/** One rule in Prometheus rule-file form. */
export function promRule(rule: Rule): Record<string, unknown> {
  if (rule.kind === "record") {
    return { record: rule.record, expr: rule.expr, ...(Object.keys(rule.labels).length ? { labels: rule.labels } : {}) };
  }
  return {
    alert: rule.alert,
    expr: rule.expr,
    ...(rule.forMs > 0 ? { for: formatDuration(rule.forMs) } : {}),
    labels: rule.labels,
    annotations: rule.annotations,
  };
}

export function promGroup(group: RuleGroup, rules: Rule[] = group.rules): Record<string, unknown> {
  return { name: group.name, interval: formatDuration(group.intervalMs), rules: rules.map(promRule) };
}

/** `prometheus/rules/<group>.yml` → content. */
export function renderRuleFiles(groups: RuleGroup[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const g of groups) out[`prometheus/rules/${ruleFileName(g.name)}`] = toYaml({ groups: [promGroup(g)] }, GENERATED_HEADER);
  return out;
}
