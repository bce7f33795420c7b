/** `GrafanaDashboards`: the catalog's dashboards in the system folder, overwriting edits made in the UI. */
import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import type { DashboardDoc } from "../../dashboards";
import { resourceName } from "../../conventions";
import { dashboardConfigJson } from "./dashboard-json";

export interface GrafanaDashboardsArgs {
  system: string;
  folderUid: pulumi.Input<string>;
  docs: DashboardDoc[];
}

export class GrafanaDashboards extends pulumi.ComponentResource {
  /** Dashboard uid by key. */
  readonly uids: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: GrafanaDashboardsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ops-monitoring:index:GrafanaDashboards", name, {}, opts);
    for (const doc of args.docs) {
      const dashboard = new grafana.oss.Dashboard(
        resourceName(args.system, "dashboard", doc.key),
        { folder: args.folderUid, configJson: dashboardConfigJson(doc), overwrite: true },
        { parent: this },
      );
      this.uids[doc.key] = dashboard.uid;
    }
    this.registerOutputs({ uids: this.uids });
  }
}
