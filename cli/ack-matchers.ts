/**
 * What `ack ALERTNAME [--service S]` silences: the same matchers in a local Alertmanager and in
 * Grafana, `alert="ALERTNAME"` (and `service="S"`). Every alert carries `alert`, its Prometheus
 * name, in both targets (Grafana's `alertname` is the rule title), and its escalated copies carry
 * the same `alert` and `service`, so one silence covers them.
 */
import type { RuleGroup } from "../alerts/model";
import { LABEL } from "../conventions";
import type { Matcher } from "./silences";

const equal = (name: string, value: string): Matcher => ({ name, value, isRegex: false, isEqual: true });

/** The silence matchers of an ack, in either target. */
export function ackMatchers(alert: string, service?: string): Matcher[] {
  return [equal(LABEL.alert, alert), ...(service === undefined ? [] : [equal(LABEL.service, service)])];
}

/** The alert names of the catalog's alerts (for a message naming what exists). */
export function alertNames(rules: RuleGroup[], service?: string): string[] {
  const names = new Set<string>();
  for (const g of rules)
    for (const r of g.rules)
      if (r.kind === "alert" && (service === undefined || r.labels[LABEL.service] === service)) names.add(r.alert);
  return [...names].sort();
}
