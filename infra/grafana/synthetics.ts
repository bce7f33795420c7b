/** `SyntheticChecks`: one Synthetic Monitoring HTTP check per service health check, probes resolved by name. */
import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import type { CheckSpec } from "./checks";
import type { ProbeAuth } from "../../catalog/model";
import { CatalogError } from "../../catalog/diagnostics";
import { componentError } from "../errors";
import { secretRef } from "../secrets";

/** SM HTTP settings carrying a probe's credentials, each a Pulumi secret. */
export function authSettings(auth: ProbeAuth | undefined): {
  basicAuth?: { username: string; password: pulumi.Output<string> };
  bearerToken?: pulumi.Output<string>;
} {
  if (!auth) return {};
  return "bearer" in auth
    ? { bearerToken: secretRef(auth.bearer) }
    : { basicAuth: { username: auth.username, password: secretRef(auth.password) } };
}

export interface SyntheticChecksArgs {
  checks: CheckSpec[];
}

/** Probe ids of `names`; throws `CatalogError` naming the service and every unknown probe. */
export function probeIds(service: string, names: string[], available: Record<string, number>): number[] {
  const unknown = names.filter((n) => !Object.hasOwn(available, n));
  if (unknown.length) {
    const message = `unknown Synthetic Monitoring probe ${unknown.join(", ")}; available: ${Object.keys(available).sort().join(", ")}`;
    throw new CatalogError([{ path: `services[${service}].health.probes`, message }]);
  }
  return names.map((n) => available[n]).sort((a, b) => a - b);
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
      ({ service, name: checkName, probeNames, auth, settings, ...inputs }) =>
        new grafana.syntheticmonitoring.Check(
          checkName,
          {
            ...inputs,
            settings: { http: { ...settings.http, ...authSettings(auth) } },
            probes: resolve(service, probeNames),
          },
          { parent: this },
        ),
    );
    this.registerOutputs({ jobs: args.checks.map((c) => c.job) });
  }
}
