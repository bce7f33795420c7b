/** `SyntheticChecks`: one Synthetic Monitoring HTTP check per service health check, probes resolved by name. */
import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import { checkInputs, probeIds, type CheckSpec } from "./checks";
import { CatalogError } from "../../catalog/diagnostics";
import { componentError } from "../errors";
import { secretRef } from "../secrets";

export interface SyntheticChecksArgs {
  checks: CheckSpec[];
}

export class SyntheticChecks extends pulumi.ComponentResource {
  readonly checks: grafana.syntheticmonitoring.Check[];

  constructor(name: string, args: SyntheticChecksArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ops-monitoring:index:SyntheticChecks", name, {}, opts);
    const available = grafana.syntheticmonitoring.getProbesOutput({ filterDeprecated: true }, { parent: this }).probes;
    // Probe names are known only once SM answers: an unknown one is reported under this component.
    const resolve = (service: string, names: string[]) =>
      available.apply((p) => {
        try {
          return probeIds(service, names, p);
        } catch (e) {
          throw e instanceof CatalogError ? componentError(e.message, this) : e;
        }
      });
    this.checks = args.checks.map(
      (spec) =>
        new grafana.syntheticmonitoring.Check(
          spec.name,
          checkInputs(spec, resolve(spec.service, spec.probeNames), secretRef),
          { parent: this },
        ),
    );
    this.registerOutputs({ jobs: args.checks.map((c) => c.job) });
  }
}
