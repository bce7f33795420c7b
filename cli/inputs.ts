/** What every command reads: the catalog file (printing its warnings) and the hand-written rule files beside it. */
import { loadCatalog } from "../catalog/load";
import { formatWarnings } from "../catalog/diagnostics";
import type { Catalog } from "../catalog/model";
import { customRulesDirFor, readCustomRules } from "../alerts/custom-files";
import { ruleWarnings } from "../alerts/rule-warnings";
import { catalogPath, type Args } from "./args";

export function loadInputs(
  args: Args,
  fallbackCatalog?: string,
): { catalog: Catalog; customRules: Record<string, string>; path: string } {
  const path = catalogPath(args, fallbackCatalog);
  const { catalog, warnings } = loadCatalog(path);
  const customRules = readCustomRules(customRulesDir(args, path), catalog.system);
  for (const line of formatWarnings([...warnings, ...ruleWarnings(catalog, customRules)], path)) console.error(line);
  return { catalog, customRules, path };
}

/** `--custom-rules DIR`, else `alerts/custom` beside the catalog file. */
export function customRulesDir(args: Args, catalogFile: string): string {
  const custom = args.flags["custom-rules"];
  return typeof custom === "string" ? custom : customRulesDirFor(catalogFile);
}
