/**
 * GitHub Actions secrets and variables of a catalog as plain data: name, repository and
 * where the value comes from. Pure (no Pulumi, no values): the `GitHubActionsConfig`
 * component, the semantic diff and the tests read it.
 */
import type { Catalog } from "../catalog/model";
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
export function secretConfigKeys(catalog: unknown): Set<string> {
  const keys = new Set<string>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    const obj = node as Record<string, unknown>;
    if (typeof obj.secret === "string") keys.add(obj.secret);
    for (const k of Object.keys(obj)) walk(obj[k]);
  };
  walk(catalog);
  return keys;
}

export function sourceOf(name: string): GitHubValueSource {
  return Object.hasOwn(GITHUB_OUTPUT_SOURCES, name) ? { output: name } : { config: name };
}

/** Whether a source holds a secret: a secret stack output or a config key used as a secret anywhere in the catalog. */
export function isSecretSource(source: GitHubValueSource, secretKeys: ReadonlySet<string>): boolean {
  return "output" in source ? GITHUB_OUTPUT_SOURCES[source.output].secret : secretKeys.has(source.config);
}

/**
 * The Actions secrets and variables of `catalog.github`, secrets first, each sorted by name.
 * Validation has already refused what GitHub would (see `githubActionsDiagnostics`).
 */
export function githubActionsSpecs(catalog: Catalog): GitHubActionsSpec[] {
  const gh = catalog.github;
  if (!gh) return [];
  return (["secret", "variable"] as const).flatMap((kind) => {
    const entries = kind === "secret" ? gh.secrets : gh.variables;
    return Object.keys(entries)
      .sort()
      .map((key) => ({
        name: githubActionsResourceName(gh.repository, kind, key),
        kind,
        repository: gh.repository,
        key,
        source: sourceOf(entries[key]),
      }));
  });
}
