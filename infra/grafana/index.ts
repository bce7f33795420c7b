/**
 * The Grafana section of a `prod` stack: one folder per system holding the dashboards and
 * Grafana-managed rule groups, contact points and the notification policy, Synthetic
 * Monitoring checks, and a service account token for deploy annotations.
 */
import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import { folderUid, resourceName, STACK_OUTPUT } from "../../conventions";
import type { StackContext, StackOutputs } from "../program";

export class GrafanaMonitoring extends pulumi.ComponentResource {
  readonly folder: grafana.oss.Folder;

  constructor(name: string, ctx: StackContext, opts?: pulumi.ComponentResourceOptions) {
    super("ops-monitoring:index:GrafanaMonitoring", name, {}, opts);
    const { catalog } = ctx;
    this.folder = new grafana.oss.Folder(resourceName(catalog.system), { uid: folderUid(catalog.system), title: catalog.folderTitle }, { parent: this });
    this.registerOutputs({ folderUid: this.folder.uid });
  }
}

export function provisionGrafana(ctx: StackContext): StackOutputs {
  const g = new GrafanaMonitoring(ctx.catalog.system, ctx);
  return {
    [STACK_OUTPUT.grafanaUrl]: pulumi.output(ctx.settings.grafana!.url),
    [STACK_OUTPUT.grafanaFolderUid]: g.folder.uid,
  };
}
