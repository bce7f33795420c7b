/** The catalog and hand-written rule files as they are at a git revision (for `diff` and `backtest --base`). */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { parseCatalogYaml } from "../catalog/load";
import type { Catalog } from "../catalog/model";
import { validateCatalog } from "../catalog/validate";
import { UsageError } from "./args";

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync("git", args, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch {
    return undefined;
  }
}

/** The nearest existing directory at or above `path`, to run git in. */
function existingDir(path: string): string {
  let dir = path;
  while (!existsSync(dir)) dir = dirname(dir);
  return dir;
}

/** Path of `file` relative to the top of its git work tree, or undefined when outside one. */
function repoPath(top: string, file: string): string | undefined {
  const rel = relative(top, file);
  return rel.startsWith("..") ? undefined : rel.split("\\").join("/");
}

/** `readCustomRules` at `ref`: `<dir>/*.yml` by name, everything below `<dir>/<system>/` as `<system>/<path>`. */
function customRulesAt(top: string, ref: string, dir: string, system: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [sub, prefix, recursive] of [
    [dir, "", false],
    [`${dir}/${system}`, `${system}/`, true],
  ] as const) {
    const paths = (git(top, ["ls-tree", ...(recursive ? ["-r"] : []), "--name-only", ref, `${sub}/`]) ?? "")
      .split("\n")
      .filter((p) => /\.ya?ml$/.test(p))
      .sort();
    for (const path of paths)
      out[`${prefix}${path.slice(sub.length + 1)}`] = git(top, ["show", `${ref}:${path}`]) ?? "";
  }
  return out;
}

/**
 * The validated catalog at `ref` and its custom rules (`customDir` at `ref` when inside the
 * repository, else the working copy's); undefined when the catalog file does not exist at `ref`.
 * `command` prefixes usage errors.
 */
export function inputsAt(
  command: string,
  ref: string,
  catalogFile: string,
  customDir: string,
  workingCustomRules: Record<string, string>,
): { catalog: Catalog; customRules: Record<string, string> } | undefined {
  const cwd = existingDir(dirname(resolve(catalogFile)));
  const top = git(cwd, ["rev-parse", "--show-toplevel"])?.trim();
  if (!top) throw new UsageError(`${command}: ${catalogFile} is not inside a git work tree`);
  if (git(top, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]) === undefined)
    throw new UsageError(`${command}: unknown git revision "${ref}"`);
  const catalogRel = repoPath(top, resolve(catalogFile))!;
  const text = git(top, ["show", `${ref}:${catalogRel}`]);
  if (text === undefined) return undefined;
  const source = `${catalogRel} at ${ref}`;
  const catalog = validateCatalog(parseCatalogYaml(text, source), source);
  const customRel = repoPath(top, resolve(customDir));
  return {
    catalog,
    customRules: customRel === undefined ? workingCustomRules : customRulesAt(top, ref, customRel, catalog.system),
  };
}
