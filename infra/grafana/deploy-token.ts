/** `DeployToken`: a service account (Editor: may post annotations) and its token, which CI uses to mark deploys. */
import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import { deployServiceAccountName } from "../../conventions";

export interface DeployTokenArgs {
  /** Catalog `system`: names the service account. */
  system: string;
}

export class DeployToken extends pulumi.ComponentResource {
  /** The token, a Pulumi secret. */
  readonly token: pulumi.Output<string>;

  constructor(name: string, args: DeployTokenArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ops-monitoring:index:DeployToken", name, {}, opts);
    const accountName = deployServiceAccountName(args.system);
    const account = new grafana.oss.ServiceAccount(
      accountName,
      { name: accountName, role: "Editor", isDisabled: false },
      { parent: this },
    );
    const token = new grafana.oss.ServiceAccountToken(
      accountName,
      { name: accountName, serviceAccountId: account.id },
      { parent: this },
    );
    this.token = pulumi.secret(token.key);
    this.registerOutputs({ serviceAccount: accountName });
  }
}
