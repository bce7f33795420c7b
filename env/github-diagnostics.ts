/**
 * What GitHub would refuse in a catalog's `github:` section, found on the raw catalog in the
 * same pass as the other cross-checks: names GitHub reserves, and variables (plain text) that
 * would read a secret.
 */
import type { Diagnostic } from "../catalog/diagnostics";
import { isSecretSource, secretConfigKeys, sourceOf } from "./github-actions";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * GitHub refuses Actions secret and variable names starting with `GITHUB_`, in any case
 * (terraform-provider-github `github/util.go`, `validateSecretNameFunc`, used by
 * `github_actions_secret.secret_name` and `github_actions_variable.variable_name`).
 */
const RESERVED_PREFIX = "GITHUB_";

export function githubActionsDiagnostics(raw: unknown): Diagnostic[] {
  if (!isObj(raw) || !isObj(raw.github)) return [];
  const gh = raw.github;
  const repository = typeof gh.repository === "string" ? gh.repository : "the repository";
  const secretKeys = secretConfigKeys(raw);
  const out: Diagnostic[] = [];
  for (const [field, kind] of [
    ["secrets", "secret"],
    ["variables", "variable"],
  ] as const) {
    const entries = isObj(gh[field]) ? gh[field] : {};
    for (const [key, value] of Object.entries(entries)) {
      const path = `github.${field}.${key}`;
      if (key.toUpperCase().startsWith(RESERVED_PREFIX))
        out.push({
          path,
          message: `GitHub refuses Actions ${kind} names starting with ${RESERVED_PREFIX} (reserved for GitHub's own); rename ${key}`,
        });
      if (kind === "variable" && typeof value === "string" && isSecretSource(sourceOf(value), secretKeys))
        out.push({
          path,
          message: `reads the secret ${value}; a variable is plain text readable by anyone with access to ${repository}, so move it to github.secrets`,
        });
    }
  }
  return out;
}
