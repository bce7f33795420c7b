/**
 * `VercelEnvironment`: the env vars of one Vercel project, one `ProjectEnvironmentVariable`
 * per key and set of targets, from the pure specs of `env/vercel-env.ts`.
 *
 * The project is named in the catalog by name or id: a value starting with `prj_` is used as
 * the id; any other value is resolved by name with the provider's `getProject` data source
 * (so `pulumi preview` fails early, naming the project, when it does not exist).
 */
import * as pulumi from "@pulumi/pulumi";
import * as vercel from "@pulumiverse/vercel";
import type { StackContext } from "../stack";
import { componentError } from "../errors";
import { secretRef } from "../secrets";
import type { VercelEnvSpec } from "../../env/vercel-env";
import { projectLookup, variableInputs, vercelProjects } from "./variable-inputs";

/** Turns a secret config key into its value, wrapped as a Pulumi secret. */
export type SecretSource = (name: string) => pulumi.Output<string>;

export interface VercelEnvironmentArgs {
  project: string;
  teamId?: string;
  /** Specs of this project only. */
  specs: VercelEnvSpec[];
  secret: SecretSource;
}

export class VercelEnvironment extends pulumi.ComponentResource {
  /** Id of the Vercel project. */
  readonly projectId: pulumi.Output<string>;
  /** Pulumi resources by resource name (`<project>-<KEY>`, or with its targets when a key is several variables). */
  readonly variables: Record<string, vercel.ProjectEnvironmentVariable>;

  constructor(name: string, args: VercelEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ops-monitoring:index:VercelEnvironment", name, {}, opts);
    const stray = args.specs.find((s) => s.project !== args.project);
    if (stray)
      throw componentError(
        `Vercel env var ${stray.key} of service ${stray.service} belongs to project ${stray.project}, not ${args.project}`,
        this,
      );

    const lookup = projectLookup(args.project, args.teamId);
    this.projectId = "id" in lookup ? pulumi.output(lookup.id) : vercel.getProjectOutput(lookup, { parent: this }).id;

    this.variables = {};
    for (const spec of args.specs) {
      this.variables[spec.name] = new vercel.ProjectEnvironmentVariable(
        spec.name,
        variableInputs(spec, this.projectId, args.teamId, (name) => pulumi.secret(args.secret(name))),
        // Vercel refuses a second variable with the same key and target, so a replacement
        // (sensitive or project change) must delete the old one first.
        { parent: this, deleteBeforeReplace: true },
      );
    }
    this.registerOutputs({ projectId: this.projectId, keys: [...new Set(args.specs.map((s) => s.key))] });
  }
}

/**
 * One `VercelEnvironment` per Vercel project of the catalog (none when no service has `vercel:`),
 * secrets read from stack config.
 */
export function provisionVercel(
  ctx: Pick<StackContext, "catalog">,
  secret: SecretSource = secretRef,
): VercelEnvironment[] {
  return vercelProjects(ctx.catalog).map(
    ({ project, teamId, specs }) => new VercelEnvironment(project, { project, teamId, specs, secret }),
  );
}
