/** `GrafanaAlertRules`: one Grafana-managed rule group per rule-model group, in the system folder. */
import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import { resourceName } from "../../conventions";
import { inBatches } from "../batches";
import type { GrafanaRuleGroup } from "./rule-groups";

export interface GrafanaAlertRulesArgs {
  folderUid: pulumi.Input<string>;
  groups: GrafanaRuleGroup[];
}

export class GrafanaAlertRules extends pulumi.ComponentResource {
  /** Resolves once every rule group is created (in batches: `inBatches`). */
  readonly groups: Promise<grafana.alerting.RuleGroup[]>;

  constructor(name: string, args: GrafanaAlertRulesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ops-monitoring:index:GrafanaAlertRules", name, {}, opts);
    this.groups = inBatches(
      args.groups,
      (g) =>
        new grafana.alerting.RuleGroup(
          resourceName(g.name),
          { folderUid: args.folderUid, name: g.name, intervalSeconds: g.intervalSeconds, rules: g.rules },
          { parent: this },
        ),
    );
    this.registerOutputs(this.groups.then(() => ({ groups: args.groups.map((g) => g.name) })));
  }
}
