/** What every command reads: the catalog file and the hand-written rule files in `alerts/custom/`. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadCatalogFile } from "../catalog/load";
import type { Catalog } from "../catalog/model";
import { catalogPath, type Args } from "./args";

export const REPO_ROOT = resolve(__dirname, "..");
export const CUSTOM_RULES_DIR = join(REPO_ROOT, "alerts", "custom");

function yamlFiles(dir: string, prefix: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) out[`${prefix}${f}`] = readFileSync(join(dir, f), "utf8");
  return out;
}

/**
 * Hand-written rule files: `<dir>/*.yml` apply to every catalog, `<dir>/<system>/*.yml`
 * only to that system's. Name (relative to dir) → text.
 */
export function readCustomRules(dir: string, system: string): Record<string, string> {
  return { ...yamlFiles(dir, ""), ...yamlFiles(join(dir, system), `${system}/`) };
}

export function loadInputs(args: Args, fallbackCatalog?: string): { catalog: Catalog; customRules: Record<string, string>; path: string } {
  const path = catalogPath(args, fallbackCatalog);
  const catalog = loadCatalogFile(path);
  const custom = args.flags["custom-rules"];
  return { catalog, customRules: readCustomRules(typeof custom === "string" ? custom : CUSTOM_RULES_DIR, catalog.system), path };
}
