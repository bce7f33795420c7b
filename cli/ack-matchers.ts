/**
 * What `ack ALERTNAME [--service S]` silences, in each target. Locally an alert's `alertname` is
 * its name, so the matchers are `alertname="ALERTNAME"` (and `service="S"`). In Grafana the
 * `alertname` of an alert is its rule's title, so the matchers name exactly the titles of the
 * Grafana rules (escalated copies included) that come from the catalog's alerts of that name
 * and service, read from the rule groups the prod stack provisions.
 */
import type { RuleGroup } from "../alerts/model";
import type { Catalog } from "../catalog/model";
import { LABEL } from "../conventions";
import { grafanaRuleGroups } from "../infra/grafana/rule-groups";
import { grafanaFeatures, rulesForGrafana } from "../infra/grafana/versions";
import type { Matcher } from "./silences";

const ALERTNAME_LABEL = "alertname";

const equal = (name: string, value: string): Matcher => ({ name, value, isRegex: false, isEqual: true });

/** Go's `regexp.QuoteMeta`: `value` as an RE2 pattern matching only itself. */
export function quoteMeta(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

/** The silence matchers of an ack in a local Alertmanager. */
export function localAckMatchers(alertname: string, service?: string): Matcher[] {
  return [equal(ALERTNAME_LABEL, alertname), ...(service === undefined ? [] : [equal(LABEL.service, service)])];
}

/**
 * The Grafana titles of the catalog's alerts named `alertname` (of `service`), with their
 * escalated copies; empty when the catalog has no such alert.
 */
export function grafanaTitles(catalog: Catalog, rules: RuleGroup[], alertname: string, service?: string): string[] {
  const features = grafanaFeatures(catalog);
  const model = rulesForGrafana(rules, features);
  const grafana = grafanaRuleGroups(model, { catalog, datasourceUid: "ack", features });
  const titles = new Set<string>();
  model.forEach((group, g) =>
    group.rules.forEach((rule, r) => {
      if (rule.kind !== "alert" || rule.alert !== alertname) return;
      if (service !== undefined && rule.labels[LABEL.service] !== service) return;
      titles.add(grafana[g].rules[r].name);
    }),
  );
  return [...titles].sort();
}

/** The silence matchers of an ack in Grafana: one regex matcher listing exactly `titles` (and `service="S"`). */
export function grafanaAckMatchers(titles: string[], service?: string): Matcher[] {
  return [
    { name: ALERTNAME_LABEL, value: titles.map(quoteMeta).join("|"), isRegex: true, isEqual: true },
    ...(service === undefined ? [] : [equal(LABEL.service, service)]),
  ];
}

/** The alert names of the catalog's alerts (for a message naming what exists). */
export function alertNames(rules: RuleGroup[], service?: string): string[] {
  const names = new Set<string>();
  for (const g of rules)
    for (const r of g.rules)
      if (r.kind === "alert" && (service === undefined || r.labels[LABEL.service] === service)) names.add(r.alert);
  return [...names].sort();
}
