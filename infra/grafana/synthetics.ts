/** `SyntheticChecks`: one Synthetic Monitoring HTTP check per service health check, probes resolved by name. */
import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import type { CheckSpec } from "./checks";

export interface SyntheticChecksArgs {
  checks: CheckSpec[];
}

/** Probe ids of `names`; throws naming the service and every unknown probe. */
export function probeIds(service: string, names: string[], available: Record<string, number>): number[] {
  const unknown = names.filter((n) => !(n in available));
  if (unknown.length) {
    throw new Error(`services[${service}].health.probes: unknown Synthetic Monitoring probe ${unknown.join(", ")}; available: ${Object.keys(available).sort().join(", ")}`);
  }
  return names.map((n) => available[n]).sort((a, b) => a - b);
}

export class SyntheticChecks extends pulumi.ComponentResource {
  constructor(name: string, args: SyntheticChecksArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ops-monitoring:index:SyntheticChecks", name, {}, opts);
    const available = grafana.syntheticmonitoring.getProbesOutput({ filterDeprecated: true }, { parent: this }).probes;
    for (const { service, name: checkName, probeNames, ...inputs } of args.checks) {
      new grafana.syntheticmonitoring.Check(checkName, { ...inputs, probes: available.apply((p) => probeIds(service, probeNames, p)) }, { parent: this });
    }
    this.registerOutputs({ jobs: args.checks.map((c) => c.job) });
  }
}
