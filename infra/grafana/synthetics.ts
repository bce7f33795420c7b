/** `SyntheticChecks`: one Synthetic Monitoring HTTP check per service health check, probes resolved by name. */
import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import type { CheckSpec } from "./checks";
import type { ProbeAuth } from "../../catalog/model";
import { secretRef } from "../secrets";

/** SM HTTP settings carrying a probe's credentials, each a Pulumi secret. */
export function authSettings(auth: ProbeAuth | undefined): { basicAuth?: { username: string; password: pulumi.Output<string> }; bearerToken?: pulumi.Output<string> } {
  if (!auth) return {};
  return "bearer" in auth ? { bearerToken: secretRef(auth.bearer) } : { basicAuth: { username: auth.username, password: secretRef(auth.password) } };
}

export interface SyntheticChecksArgs {
  checks: CheckSpec[];
}

/** Probe ids of `names`; throws naming the service and every unknown probe. */
export function probeIds(service: string, names: string[], available: Record<string, number>): number[] {
  const unknown = names.filter((n) => !Object.hasOwn(available, n));
  if (unknown.length) {
    throw new Error(`services[${service}].health.probes: unknown Synthetic Monitoring probe ${unknown.join(", ")}; available: ${Object.keys(available).sort().join(", ")}`);
  }
  return names.map((n) => available[n]).sort((a, b) => a - b);
}

export class SyntheticChecks extends pulumi.ComponentResource {
  constructor(name: string, args: SyntheticChecksArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ops-monitoring:index:SyntheticChecks", name, {}, opts);
    const available = grafana.syntheticmonitoring.getProbesOutput({ filterDeprecated: true }, { parent: this }).probes;
    for (const { service, name: checkName, probeNames, auth, settings, ...inputs } of args.checks) {
      new grafana.syntheticmonitoring.Check(
        checkName,
        { ...inputs, settings: { http: { ...settings.http, ...authSettings(auth) } }, probes: available.apply((p) => probeIds(service, probeNames, p)) },
        { parent: this },
      );
    }
    this.registerOutputs({ jobs: args.checks.map((c) => c.job) });
  }
}
