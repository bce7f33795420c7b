/**
 * GitHub Actions secrets and variables of a catalog as plain data: name, repository and
 * where the value comes from. Pure (no Pulumi, no values): the `GitHubActionsConfig`
 * component, the semantic diff and the tests read it.
 */
import type { Catalog } from "../catalog/model";
import { CatalogError, type Diagnostic } from "../catalog/diagnostics";
import { githubActionsResourceName, STACK_OUTPUT } from "../conventions";

/** A stack output another section produces, or a Pulumi config key. */
export type GitHubValueSource = { output: string } | { config: string };

export interface GitHubActionsSpec {
  /** Pulumi resource name. */
  name: string;
  kind: "secret" | "variable";
  /** `owner/name`. */
  repository: string;
  /** Secret or variable name as the workflows see it. */
  key: string;
  source: GitHubValueSource;
}

/** Stack outputs the GitHub section may read, and whether each holds a secret. */
export const GITHUB_OUTPUT_SOURCES: Readonly<Record<string, { secret: boolean }>> = {
  [STACK_OUTPUT.grafanaUrl]: { secret: false },
  [STACK_OUTPUT.grafanaDeployToken]: { secret: true },
};

/** Every `{ secret: NAME }` config key the catalog references (also Vercel `secret:` keys). */
export function secretConfigKeys(catalog: Catalog): Set<string> {
  const keys = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const secret = (node as { secret?: unknown }).secret;
      if (typeof secret === "string") keys.add(secret);
      Object.values(node).forEach(walk);
    }
  };
  walk(catalog);
  return keys;
}

function sourceOf(name: string): GitHubValueSource {
  return Object.hasOwn(GITHUB_OUTPUT_SOURCES, name) ? { output: name } : { config: name };
}

/** Whether a source holds a secret: a secret stack output or a config key used as a secret anywhere in the catalog. */
export function isSecretSource(source: GitHubValueSource, secretKeys: ReadonlySet<string>): boolean {
  return "output" in source ? GITHUB_OUTPUT_SOURCES[source.output].secret : secretKeys.has(source.config);
}

/**
 * The Actions secrets and variables of `catalog.github`, secrets first, each sorted by name.
 * Throws `CatalogError` when a variable reads a secret source: variables are plain text,
 * readable by anyone with access to the repository.
 */
export function githubActionsSpecs(catalog: Catalog): GitHubActionsSpec[] {
  const gh = catalog.github;
  if (!gh) return [];
  const secretKeys = secretConfigKeys(catalog);
  const problems: Diagnostic[] = [];
  const specs: GitHubActionsSpec[] = [];
  for (const kind of ["secret", "variable"] as const) {
    const entries = kind === "secret" ? gh.secrets : gh.variables;
    for (const key of Object.keys(entries).sort()) {
      const source = sourceOf(entries[key]);
      if (kind === "variable" && isSecretSource(source, secretKeys)) {
        problems.push({
          path: `github.variables.${key}`,
          message: `reads the secret ${entries[key]}; a variable is plain text readable by anyone with access to ${gh.repository}, so move it to github.secrets`,
        });
        continue;
      }
      specs.push({ name: githubActionsResourceName(gh.repository, kind, key), kind, repository: gh.repository, key, source });
    }
  }
  if (problems.length) throw new CatalogError(problems, "catalog");
  return specs;
}
