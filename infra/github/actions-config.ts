/**
 * `GitHubActionsConfig`: the Actions secrets and variables of the catalog's repository, from
 * the pure specs of `actions-specs.ts`. Values come from stack outputs of other sections, or
 * from Pulumi config when no section produced that output.
 */
import * as pulumi from "@pulumi/pulumi";
import * as github from "@pulumi/github";
import { PROJECT } from "../config";
import type { StackContext, StackOutputs } from "../stack";
import { secretRef } from "../secrets";
import { githubActionsSpecs, type GitHubActionsSpec } from "../../env/github-actions";
import { providerToken } from "./provider-token";

export interface GitHubActionsConfigArgs {
  /** `owner/name`; the provider is scoped to `owner`. */
  repository: string;
  specs: GitHubActionsSpec[];
  /** Stack outputs other sections produced, by name (`grafana-url`, `grafana-deploy-token`). */
  outputs: Readonly<Record<string, pulumi.Input<string>>>;
  /** Value of a secret config key, wrapped as a Pulumi secret. */
  secret: (name: string) => pulumi.Output<string>;
  /** Value of a plain config key. */
  config: (name: string) => string;
}

export class GitHubActionsConfig extends pulumi.ComponentResource {
  readonly secrets: Record<string, github.ActionsSecret> = {};
  readonly variables: Record<string, github.ActionsVariable> = {};

  constructor(name: string, args: GitHubActionsConfigArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ops-monitoring:index:GitHubActionsConfig", name, {}, opts);
    const [owner, repo] = args.repository.split("/");
    const provider = new github.Provider(owner, { owner, token: providerToken() }, { parent: this });
    for (const spec of args.specs) {
      const output = "output" in spec.source ? args.outputs[spec.source.output] : undefined;
      const sourceName = "output" in spec.source ? spec.source.output : spec.source.config;
      if (spec.kind === "secret") {
        // `value` supersedes the deprecated `plaintextValue`; both end up encrypted in state.
        const value = pulumi.secret(output ?? args.secret(sourceName));
        this.secrets[spec.key] = new github.ActionsSecret(
          spec.name,
          { repository: repo, secretName: spec.key, value },
          { parent: this, provider },
        );
      } else {
        const value = output ?? args.config(sourceName);
        this.variables[spec.key] = new github.ActionsVariable(
          spec.name,
          { repository: repo, variableName: spec.key, value },
          { parent: this, provider },
        );
      }
    }
    this.registerOutputs({
      repository: args.repository,
      secrets: Object.keys(this.secrets),
      variables: Object.keys(this.variables),
    });
  }
}

/** A stack output as a string; anything else is a bug in the section that produced it. */
function stringOutput(name: string, value: pulumi.Output<unknown>): pulumi.Output<string> {
  return value.apply((v) => {
    if (typeof v !== "string") throw new Error(`stack output ${name} is ${typeof v}, not a string`);
    return v;
  });
}

/**
 * The catalog's `github:` section as one component (none without `github:`): values from the
 * stack outputs of earlier sections, else from stack config (`ops-monitoring:<name>`).
 */
export function provisionGitHub(
  ctx: Pick<StackContext, "catalog">,
  outputs: StackOutputs,
  secret: GitHubActionsConfigArgs["secret"] = secretRef,
): GitHubActionsConfig | undefined {
  const specs = githubActionsSpecs(ctx.catalog);
  const repository = ctx.catalog.github?.repository;
  if (!repository || specs.length === 0) return undefined;
  const used = specs.flatMap((s) => ("output" in s.source && s.source.output in outputs ? [s.source.output] : []));
  const strings = Object.fromEntries(used.map((name) => [name, stringOutput(name, outputs[name])]));
  const config = (name: string) => new pulumi.Config(PROJECT).require(name);
  return new GitHubActionsConfig(repository.replace("/", "-"), { repository, specs, outputs: strings, secret, config });
}
