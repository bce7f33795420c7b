/** Catalog → rule groups: one group per service / external API, plus budget and monitoring. */
import type { Catalog } from "../catalog/model";
import { BUDGET_SERVICE, MONITORING_SERVICE, ruleGroupName, type DashboardKey } from "../conventions";
import { budgetRules } from "./budget";
import type { GenContext } from "./context";
import { catalogRule, customRuleGroups, owners } from "./custom";
import { externalApiRules } from "./external-apis";
import { heartbeatRules } from "./heartbeat";
import type { Rule, RuleGroup } from "./model";
import { probeRules } from "./probes";
import { serviceRecords, thresholdRules } from "./service-rules";
import { sloRules } from "./slo";
import { watchdogRules } from "./watchdog";

export interface GenerateOptions {
  /** `alerts/custom/*.yml`: file name → text. */
  customRules?: Record<string, string>;
  profile?: "prod" | "local";
  /** Dashboard panel links; without it alerts carry no dashboard_url. */
  dashboardUrl?: (key: DashboardKey, panel: string, service?: string) => string | undefined;
}

const GROUP_INTERVAL_MS = 60_000;
const LOCAL_GROUP_INTERVAL_MS = 5_000;

export function generateRuleGroups(catalog: Catalog, options: GenerateOptions = {}): RuleGroup[] {
  const profile = options.profile ?? "prod";
  const ctx: GenContext = { catalog, profile, dashboardUrl: options.dashboardUrl ?? (() => undefined) };
  const intervalMs = profile === "local" ? LOCAL_GROUP_INTERVAL_MS : GROUP_INTERVAL_MS;
  const teams = owners(catalog);
  const byService = new Map<string, Rule[]>();
  const add = (service: string, rules: Rule[]) => byService.set(service, [...(byService.get(service) ?? []), ...rules]);

  for (const svc of catalog.services) {
    add(svc.name, [
      ...(svc.kind === "job" ? [] : serviceRecords(svc)),
      ...probeRules(ctx, svc),
      ...thresholdRules(ctx, svc),
      ...sloRules(ctx, svc),
      ...heartbeatRules(ctx, svc),
    ]);
  }
  for (const api of catalog.externalApis) add(api.name, externalApiRules(ctx, api));
  add(BUDGET_SERVICE, budgetRules(ctx, catalog));
  add(MONITORING_SERVICE, watchdogRules(ctx, catalog));
  for (const r of catalog.rules) add(r.service, [catalogRule(ctx, r, teams.get(r.service)!)]);

  const groups: RuleGroup[] = [];
  for (const [service, rules] of byService) {
    if (rules.length) groups.push({ name: ruleGroupName(catalog.system, service), service, intervalMs, rules });
  }
  return [...groups, ...customRuleGroups(ctx, options.customRules ?? {})];
}
