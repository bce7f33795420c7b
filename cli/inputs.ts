/** What every command reads: the catalog file and the hand-written rule files in `alerts/custom/`. */
import { loadCatalogFile } from "../catalog/load";
import type { Catalog } from "../catalog/model";
import { CUSTOM_RULES_DIR, readCustomRules } from "../alerts/custom-files";
import { catalogPath, type Args } from "./args";

export function loadInputs(args: Args, fallbackCatalog?: string): { catalog: Catalog; customRules: Record<string, string>; path: string } {
  const path = catalogPath(args, fallbackCatalog);
  const catalog = loadCatalogFile(path);
  const custom = args.flags["custom-rules"];
  return { catalog, customRules: readCustomRules(typeof custom === "string" ? custom : CUSTOM_RULES_DIR, catalog.system), path };
}
