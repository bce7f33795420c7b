/**
 * Every file the catalog renders to, as one pure function: relative path → content.
 * The CLI writes them to disk, `verify` checks them, local mode runs them, and the
 * Pulumi program uploads/provisions the same content.
 */
import type { Catalog } from "./catalog/model";
import { generateRuleGroups } from "./alerts/generate";
import type { RuleGroup } from "./alerts/model";
import { renderRuleFiles } from "./alerts/rule-files";
import { renderAlertmanager } from "./alerts/alertmanager";
import { renderBlackbox } from "./checks/blackbox";
import { renderPrometheusConfig } from "./checks/prometheus-config";
import { dashboardLinks, renderDashboardFiles } from "./dashboards";

export interface RenderOptions {
  /** host:port of Alertmanager as Prometheus reaches it. */
  alertmanagerAddress: string;
  /** host:port of the blackbox exporter as Prometheus reaches it. */
  blackboxAddress: string;
  /** Directory processes read `*_file` secrets from (absolute, or relative to the config file). */
  secretsDir: string;
  /** Hand-written Prometheus rule files (`alerts/custom/*.yml`): file name → YAML text. */
  customRules: Record<string, string>;
  /**
   * `local` compresses intervals for a laptop demo (scrape/evaluate every 5s, probes at most
   * every 5s, every alert's `for` at most 10s, group_wait 2s) so an outage shows within seconds.
   */
  profile: "prod" | "local";
  /** Local mode: a webhook every route also notifies (the notification sink). */
  sinkUrl?: string;
  /** History mode: the sink is the only receiver (synthetic incidents notify no catalog contact). */
  sinkOnly?: boolean;
}

export const DEFAULT_RENDER_OPTIONS: RenderOptions = {
  alertmanagerAddress: "localhost:9093",
  blackboxAddress: "localhost:9115",
  secretsDir: "/etc/ops-monitoring/secrets",
  customRules: {},
  profile: "prod",
};

/** Relative path → file content, keys sorted. */
export type Artifacts = Record<string, string>;

/** The rule model of a catalog, alerts linked to their dashboard panels (`checks`: `GenerateOptions.checks`). */
export function ruleGroupsOf(
  catalog: Catalog,
  options: Pick<RenderOptions, "customRules" | "profile"> & { checks?: boolean },
): RuleGroup[] {
  const link = dashboardLinks(catalog);
  return generateRuleGroups(catalog, {
    customRules: options.customRules,
    profile: options.profile,
    checks: options.checks,
    dashboardUrl: (key, panel, service) => link(key, panel, service).url,
  });
}

export function renderArtifacts(catalog: Catalog, options: Partial<RenderOptions> = {}): Artifacts {
  const o = { ...DEFAULT_RENDER_OPTIONS, ...options };
  const files: Artifacts = {
    "prometheus/prometheus.yml": renderPrometheusConfig(catalog, o),
    ...renderRuleFiles(catalog.system, ruleGroupsOf(catalog, { ...o, checks: false })),
    "alertmanager/alertmanager.yml": renderAlertmanager(catalog, o),
    "blackbox/blackbox.yml": renderBlackbox(catalog, o.profile, o.secretsDir),
    ...renderDashboardFiles(catalog),
  };
  return Object.fromEntries(
    Object.keys(files)
      .sort()
      .map((k) => [k, files[k]]),
  );
}
