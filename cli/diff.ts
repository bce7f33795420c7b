/**
 * `diff --base REF [--catalog F] [--custom-rules DIR]`: renders the catalog and `alerts/custom/`
 * as they are at git REF and in the working tree, and prints the semantic difference, one line
 * per change. Exit 0 when identical, 1 when something changed. Needs no credentials.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { parseCatalogYaml } from "../catalog/load";
import { validateCatalog } from "../catalog/validate";
import { diffModels, EMPTY_MODEL, monitoringModel, type MonitoringModel } from "../diff";
import { catalogPath, stringFlag, UsageError, type Args } from "./args";
import { CUSTOM_RULES_DIR } from "../alerts/custom-files";
import { loadInputs } from "./inputs";

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
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

/** `readCustomRules` at `ref`: `<dir>/*.yml` by name, `<dir>/<system>/*.yml` as `<system>/<name>`. */
function customRulesAt(top: string, ref: string, dir: string, system: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [sub, prefix] of [[dir, ""], [`${dir}/${system}`, `${system}/`]]) {
    const paths = (git(top, ["ls-tree", "--name-only", ref, `${sub}/`]) ?? "").split("\n").filter((p) => /\.ya?ml$/.test(p)).sort();
    for (const path of paths) out[`${prefix}${path.slice(sub.length + 1)}`] = git(top, ["show", `${ref}:${path}`]) ?? "";
  }
  return out;
}

/** The catalog and custom rule files as they are at `ref`; a catalog absent at `ref` gives the empty model. */
function modelAt(ref: string, catalogFile: string, customDir: string, workingCustomRules: Record<string, string>): MonitoringModel {
  const cwd = existingDir(dirname(catalogFile));
  const top = git(cwd, ["rev-parse", "--show-toplevel"])?.trim();
  if (!top) throw new UsageError(`diff: ${catalogFile} is not inside a git work tree`);
  if (git(top, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]) === undefined) throw new UsageError(`diff: unknown git revision "${ref}"`);
  const catalogRel = repoPath(top, resolve(catalogFile))!;
  const text = git(top, ["show", `${ref}:${catalogRel}`]);
  if (text === undefined) return EMPTY_MODEL;
  const source = `${catalogRel} at ${ref}`;
  const catalog = validateCatalog(parseCatalogYaml(text, source), source);

  const customRel = repoPath(top, resolve(customDir));
  const customRules = customRel === undefined ? workingCustomRules : customRulesAt(top, ref, customRel, catalog.system);
  return monitoringModel(catalog, customRules);
}

export async function run(args: Args): Promise<number> {
  const ref = stringFlag(args, "base");
  const custom = args.flags["custom-rules"];
  const customDir = typeof custom === "string" ? custom : CUSTOM_RULES_DIR;
  const { catalog, customRules, path } = loadInputs(args);
  const after = monitoringModel(catalog, customRules);
  const before = modelAt(ref, catalogPath(args), customDir, customRules);
  const lines = diffModels(before, after);
  if (!lines.length) {
    console.log(`no changes in the rendered monitoring between ${ref} and the working tree (${path})`);
    return 0;
  }
  for (const line of lines) console.log(line);
  return 1;
}
