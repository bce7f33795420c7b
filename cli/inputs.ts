/** What every command reads: the catalog file and the hand-written rule files in `alerts/custom/`. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadCatalogFile } from "../catalog/load";
import type { Catalog } from "../catalog/model";
import { catalogPath, type Args } from "./args";

export const REPO_ROOT = resolve(__dirname, "..");
export const CUSTOM_RULES_DIR = join(REPO_ROOT, "alerts", "custom");

/** `*.yml` / `*.yaml` files of a directory: name → text (empty when the directory is absent). */
export function readCustomRules(dir = CUSTOM_RULES_DIR): Record<string, string> {
  if (!existsSync(dir)) return {};
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) out[f] = readFileSync(join(dir, f), "utf8");
  return out;
}

export function loadInputs(args: Args, fallbackCatalog?: string): { catalog: Catalog; customRules: Record<string, string>; path: string } {
  const path = catalogPath(args, fallbackCatalog);
  const custom = args.flags["custom-rules"];
  return { catalog: loadCatalogFile(path), customRules: readCustomRules(typeof custom === "string" ? custom : undefined), path };
}
