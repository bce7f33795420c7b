/** Catalog → rule groups: one group per service / external API, plus budget and monitoring. */
import type { Catalog, Service, Slo } from "../catalog/model";
import {
  BUDGET_SERVICE,
  MONITORING_SERVICE,
  RUNBOOK,
  SHARED_RECORDS,
  probeJob,
  ruleGroupName,
  type DashboardKey,
  type RunbookKey,
} from "../conventions";
import { budgetRules } from "./budget";
import { databaseDownRules } from "./database";
import type { GenContext } from "./context";
import { catalogRules, customRuleGroups, owners, panelRecord } from "./custom";
import { withEscalations } from "./escalation";
import { checkIdentities } from "./identities";
import { withSuppression } from "./suppression";
import { externalApiRules } from "./external-apis";
import { heartbeatRules } from "./heartbeat";
import { notificationFailureRules } from "./notification-failures";
import type { Rule, RuleGroup } from "./model";
import { probeRules } from "./probes";
import { followsJobConvention, groupBy, scopeKey, serviceScope, sharedScope } from "./scope";
import { databaseRecords, requestRecords, thresholdRules } from "./service-rules";
import { sloRatioRecords, sloRules } from "./slo";
import { watchdogRules } from "./watchdog";

export interface GenerateOptions {
  /** `alerts/custom/*.yml`: file name → text. */
  customRules?: Record<string, string>;
  profile?: "prod" | "local";
  /** Dashboard panel links; without it alerts carry no dashboard_url. */
  dashboardUrl?: (key: DashboardKey, panel: string, service?: string) => string | undefined;
  /**
   * Whether each alert carries its generated promtool test and detection model (`test`,
   * `detection`: verify, the generated rule tests and the detection bounds read them); default
   * true. Rendering leaves them out: on the 5700 alerts of 1000 services they are ~23,000 small
   * objects that live as long as the model, and every young-generation collection copies them.
   */
  checks?: boolean;
}

const GROUP_INTERVAL_MS = 60_000;
const LOCAL_GROUP_INTERVAL_MS = 5_000;

export function generateRuleGroups(catalog: Catalog, options: GenerateOptions = {}): RuleGroup[] {
  const profile = options.profile ?? "prod";
  const runbooks = new Map<RunbookKey, string>();
  const ctx: GenContext = {
    catalog,
    profile,
    checks: options.checks ?? true,
    dashboardUrl: options.dashboardUrl ?? (() => undefined),
    runbookUrl: (key) => {
      let url = runbooks.get(key);
      if (url === undefined) runbooks.set(key, (url = `${catalog.runbookBaseUrl}/${RUNBOOK[key]}`));
      return url;
    },
  };
  const intervalMs = profile === "local" ? LOCAL_GROUP_INTERVAL_MS : GROUP_INTERVAL_MS;
  const teams = owners(catalog);
  const byService = new Map<string, Rule[]>();
  const add = (service: string, rules: Rule[]) => {
    const list = byService.get(service);
    if (!list) byService.set(service, rules);
    else for (const rule of rules) list.push(rule);
  };

  const shared = sharedRecords(catalog);
  add(SHARED_RECORDS, shared.rules);
  for (const svc of catalog.services) {
    const own = !shared.services.has(svc.name) && svc.kind !== "job";
    const rules = own
      ? requestRecords(serviceScope(svc.name, svc.metrics.latencySelector), svc.metrics.duration, svc.metrics.errors)
      : [];
    if (own && svc.kind === "database") rules.push(...databaseRecords(serviceScope(svc.name, svc.metrics.selector)));
    rules.push(
      ...probeRules(ctx, svc),
      ...thresholdRules(ctx, svc),
      ...sloRules(ctx, svc, (slo) => !shared.slos.has(`${svc.name}/${slo.name}`)),
      ...heartbeatRules(ctx, svc),
      ...databaseDownRules(ctx, svc),
    );
    add(svc.name, rules);
  }
  for (const api of catalog.externalApis) add(api.name, externalApiRules(ctx, api));
  add(BUDGET_SERVICE, budgetRules(ctx, catalog));
  add(MONITORING_SERVICE, [...watchdogRules(ctx, catalog), ...notificationFailureRules(ctx, catalog)]);
  for (const r of catalog.rules) add(r.service, catalogRules(ctx, r, teams.get(r.service)!));
  // Rule files are deployed as published; their alerts' panel records go to their service's group.
  const custom = customRuleGroups(ctx, options.customRules ?? {});
  for (const g of custom) for (const r of g.rules) if (r.kind === "alert") add(r.labels.service, [panelRecord(r)]);

  const groups: RuleGroup[] = [];
  for (const [service, rules] of byService) {
    if (rules.length) groups.push({ name: ruleGroupName(catalog.system, service), service, intervalMs, rules });
  }
  const all = withEscalations(catalog, [...withSuppression(groups), ...custom]);
  checkIdentities(catalog.system, all);
  return all;
}

/**
 * Recording rules shared by the services that follow the `job="<name>"` convention: one rule
 * per record and histogram (and per SLO shape), whatever the number of services. Returns the
 * services and SLOs (`service/slo`) they cover.
 */
function sharedRecords(catalog: Catalog): { rules: Rule[]; services: Set<string>; slos: Set<string> } {
  const conventional = catalog.services.filter((s) => s.kind !== "job" && followsJobConvention(s));
  const names = (services: Service[]) => services.map((s) => s.name);
  const sorted = <T>(groups: Map<string, T[]>) => [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
  const rules: Rule[] = [];
  for (const [key, services] of sorted(groupBy(conventional, (s) => `${s.metrics.duration}|${s.metrics.errors}`))) {
    const { duration, errors } = services[0].metrics;
    rules.push(...requestRecords(sharedScope(scopeKey(duration, key), names(services)), duration, errors));
  }
  const databases = conventional.filter((s) => s.kind === "database");
  if (databases.length) rules.push(...databaseRecords(sharedScope("database", names(databases))));

  const shares = new Set(conventional);
  const slos = catalog.services.flatMap((svc) =>
    svc.slos.filter((slo) => slo.sli === "probe" || shares.has(svc)).map((slo) => ({ svc, slo })),
  );
  const shape = ({ svc, slo }: { svc: Service; slo: Slo }) =>
    slo.sli === "probe"
      ? `probe|${slo.name}`
      : `${slo.sli}|${slo.name}|${svc.metrics.duration}|${svc.metrics.errors}|${slo.thresholdMs ?? ""}`;
  for (const [key, members] of sorted(groupBy(slos, shape))) {
    const { svc, slo } = members[0];
    const services = members.map((m) => m.svc.name);
    const scope = sharedScope(scopeKey(`slo-${slo.name}`, key), services, slo.sli === "probe" ? probeJob : undefined);
    rules.push(...sloRatioRecords(scope, svc, slo));
  }
  return {
    rules,
    services: new Set(names(conventional)),
    slos: new Set(slos.map(({ svc, slo }) => `${svc.name}/${slo.name}`)),
  };
}
