/**
 * The Grafana section of a `prod` stack: one folder per system holding the dashboards and
 * Grafana-managed rule groups, contact points and the notification policy, Synthetic
 * Monitoring checks, and a service account token for deploy annotations.
 *
 * Every provider input is computed by pure functions first (`inputs.ts` `grafanaInputs`), so a
 * catalog Grafana would refuse fails before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import { ruleGroupsOf } from "../../artifacts";
import { resourceName, STACK_OUTPUT } from "../../conventions";
import type { StackContext, StackOutputs } from "../stack";
import { secretRef } from "../secrets";
import { GrafanaAlertRules } from "./alert-rules";
import { ignoredEmailSettings } from "./contact-points";
import { GrafanaDashboards } from "./dashboards";
import { DeployToken } from "./deploy-token";
import { GrafanaNotifications } from "./notifications";
import { grafanaInputs, type GrafanaInputs } from "./inputs";
import { SyntheticChecks } from "./synthetics";

export interface GrafanaMonitoringArgs {
  /** Catalog `system`: prefixes every resource name. */
  system: string;
  inputs: GrafanaInputs<pulumi.Output<string>>;
}

export class GrafanaMonitoring extends pulumi.ComponentResource {
  readonly folder: grafana.oss.Folder;
  readonly dashboards: GrafanaDashboards;
  readonly rules: GrafanaAlertRules;
  readonly notifications: GrafanaNotifications;
  /** Absent when no service has a `health:` check. */
  readonly checks?: SyntheticChecks;
  readonly deployToken: DeployToken;

  constructor(name: string, args: GrafanaMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ops-monitoring:index:GrafanaMonitoring", name, {}, opts);
    const { system, inputs } = args;
    this.folder = new grafana.oss.Folder(resourceName(system, "folder"), inputs.folder, { parent: this });
    this.dashboards = new GrafanaDashboards(
      resourceName(system, "dashboards"),
      { system, folderUid: this.folder.uid, docs: inputs.dashboards },
      { parent: this },
    );
    this.rules = new GrafanaAlertRules(
      resourceName(system, "rules"),
      { folderUid: this.folder.uid, groups: inputs.ruleGroups },
      { parent: this },
    );
    this.notifications = new GrafanaNotifications(
      resourceName(system, "notifications"),
      { system, contactPoints: inputs.contactPoints, muteTimings: inputs.muteTimings, policy: inputs.policy },
      { parent: this },
    );
    if (inputs.checks.length)
      this.checks = new SyntheticChecks(
        resourceName(system, "synthetics"),
        { checks: inputs.checks },
        { parent: this },
      );
    this.deployToken = new DeployToken(resourceName(system, "deploy"), { system }, { parent: this });
    this.registerOutputs({ folderUid: this.folder.uid, dashboardUids: this.dashboards.uids });
  }
}

/** Registers the Grafana section; outputs `grafana-url`, `grafana-folder-uid`, `grafana-dashboard-uids`, `grafana-deploy-token` (secret). */
export function provisionGrafana(ctx: StackContext): StackOutputs {
  const settings = ctx.settings.grafana;
  if (!settings) throw new Error(`stack ${ctx.stack}: Grafana settings were not read`);
  for (const warning of ignoredEmailSettings(ctx.catalog)) void pulumi.log.warn(warning);
  const rules = ruleGroupsOf(ctx.catalog, { customRules: ctx.customRules, profile: "prod" });
  const inputs = grafanaInputs(ctx.catalog, rules, settings, secretRef);
  const g = new GrafanaMonitoring(ctx.catalog.system, { system: ctx.catalog.system, inputs });
  return {
    [STACK_OUTPUT.grafanaUrl]: pulumi.output(settings.url),
    [STACK_OUTPUT.grafanaFolderUid]: g.folder.uid,
    [STACK_OUTPUT.grafanaDashboardUids]: pulumi.output(g.dashboards.uids),
    [STACK_OUTPUT.grafanaDeployToken]: g.deployToken.token,
  };
}
