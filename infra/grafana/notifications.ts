/** `GrafanaNotifications`: contact points, mute timings and the one notification policy tree. */
import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import { resourceName } from "../../conventions";
import type { ContactPointSpec } from "./contact-points";
import type { MuteTimingSpec, RootPolicy } from "./routing";

export interface GrafanaNotificationsArgs {
  system: string;
  contactPoints: Array<ContactPointSpec<pulumi.Output<string>>>;
  muteTimings: MuteTimingSpec[];
  policy: RootPolicy;
}

export class GrafanaNotifications extends pulumi.ComponentResource {
  readonly contactPoints: grafana.alerting.ContactPoint[];
  readonly muteTimings: grafana.alerting.MuteTiming[];
  readonly policy: grafana.alerting.NotificationPolicy;

  constructor(name: string, args: GrafanaNotificationsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ops-monitoring:index:GrafanaNotifications", name, {}, opts);
    this.contactPoints = args.contactPoints.map(
      ({ contact, ...inputs }) =>
        new grafana.alerting.ContactPoint(resourceName(args.system, "contact", contact), inputs, { parent: this }),
    );
    this.muteTimings = args.muteTimings.map(
      ({ key, ...inputs }) =>
        new grafana.alerting.MuteTiming(resourceName(args.system, "mute", key), inputs, { parent: this }),
    );
    // Policies reference contact points and mute timings by name: create those first.
    this.policy = new grafana.alerting.NotificationPolicy(resourceName(args.system, "policy"), args.policy, {
      parent: this,
      dependsOn: [...this.contactPoints, ...this.muteTimings],
    });
    this.registerOutputs({
      contactPoints: args.contactPoints.map((c) => c.name),
      muteTimings: args.muteTimings.map((m) => m.name),
    });
  }
}
