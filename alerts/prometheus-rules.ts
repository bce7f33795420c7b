/** Rules and groups of the model in Prometheus rule-file form (the files: alerts/rule-files.ts). */
import { formatDuration } from "../catalog/units";
import { ALERT_NAME_LABEL, ALERT_STATE_FIRING, ALERT_STATE_LABEL, INSTANCE_LABEL, LABEL, METRIC } from "../conventions";
import type { AlertRule, Rule, RuleGroup } from "./model";

/**
 * The expression Prometheus evaluates for an alert. With `holdWhileMissing`, the alert also
 * stays firing while it fired at the previous evaluation (its own `ALERTS` series: same name,
 * service, severity, health check `instance` and `escalation`) and its input has no sample
 * within the window, so a stalled prober never resolves a live outage — and one check's firing
 * alert never holds another check's.
 */
export function prometheusExpr(rule: AlertRule): string {
  const hold = rule.holdWhileMissing;
  if (!hold) return rule.expr;
  const self = [
    `${ALERT_NAME_LABEL}="${rule.alert}"`,
    `${ALERT_STATE_LABEL}="${ALERT_STATE_FIRING}"`,
    `${LABEL.service}="${rule.labels.service}"`,
    `${LABEL.severity}="${rule.labels.severity}"`,
    ...(rule.labels[INSTANCE_LABEL] === undefined ? [] : [`${INSTANCE_LABEL}="${rule.labels[INSTANCE_LABEL]}"`]),
    `${LABEL.escalation}="${rule.labels[LABEL.escalation] ?? ""}"`,
  ].join(", ");
  return `${rule.expr} or (max(${METRIC.alerts}{${self}}) and on () absent_over_time(${hold.series}[${formatDuration(hold.windowMs)}]))`;
}

/** One rule in Prometheus rule-file form. */
export function promRule(rule: Rule): Record<string, unknown> {
  if (rule.kind === "record") {
    return {
      record: rule.record,
      expr: rule.expr,
      ...(Object.keys(rule.labels).length ? { labels: rule.labels } : {}),
    };
  }
  return {
    alert: rule.alert,
    expr: prometheusExpr(rule),
    ...(rule.forMs > 0 ? { for: formatDuration(rule.forMs) } : {}),
    ...(rule.keepFiringForMs ? { keep_firing_for: formatDuration(rule.keepFiringForMs) } : {}),
    labels: rule.labels,
    annotations: rule.annotations,
  };
}

export interface PromGroup {
  name: string;
  interval: string;
  rules: Array<Record<string, unknown>>;
}

export function promGroup(group: RuleGroup): PromGroup {
  return { name: group.name, interval: formatDuration(group.intervalMs), rules: group.rules.map(promRule) };
}
