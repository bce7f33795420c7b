/** Reading a catalog from a YAML file: a bare catalog, or a Pulumi stack file holding `ops-monitoring:catalog`. */
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { CatalogError } from "./diagnostics";
import { validateCatalog } from "./validate";
import type { Catalog } from "./model";

export const CATALOG_CONFIG_KEY = "ops-monitoring:catalog";

/** The raw catalog object in a YAML text; throws CatalogError on YAML syntax errors. */
export function parseCatalogYaml(text: string, source: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new CatalogError(doc.errors.map((e) => ({ path: `line ${e.linePos?.[0].line ?? "?"}`, message: e.message.split("\n")[0] })), source);
  }
  const value = doc.toJS() as unknown;
  if (value && typeof value === "object" && "config" in value) {
    const config = (value as { config?: Record<string, unknown> }).config ?? {};
    if (!(CATALOG_CONFIG_KEY in config)) throw new CatalogError([{ path: "config", message: `has no ${CATALOG_CONFIG_KEY} key` }], source);
    return config[CATALOG_CONFIG_KEY];
  }
  return value;
}

export function loadCatalogFile(path: string): Catalog {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new CatalogError([{ path: "", message: `cannot read file: ${(e as Error).message}` }], path);
  }
  return validateCatalog(parseCatalogYaml(text, path), path);
}
