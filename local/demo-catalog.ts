/**
 * The bundled demo catalog (`local/demo-catalog.yaml`): the only catalog `start` rewrites,
 * filling in the loopback URLs of the demo app and the notification sink.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCatalogYaml } from "../catalog/load";
import type { Catalog } from "../catalog/model";
import { validateCatalog } from "../catalog/validate";

export const DEMO_CATALOG_PATH = join(__dirname, "demo-catalog.yaml");

/** Placeholders of the demo catalog and what `start` puts there. */
export interface DemoUrls {
  /** `${DEMO_APP}`: the demo app's base URL, without trailing slash. */
  demoApp: string;
  /** `${LOCAL_SINK}`: the sink's base URL, with trailing slash. */
  sink: string;
}

export function substituteDemoUrls(text: string, urls: DemoUrls): string {
  return text
    .replaceAll("${DEMO_APP}", urls.demoApp.replace(/\/+$/, ""))
    .replaceAll("${LOCAL_SINK}", urls.sink.endsWith("/") ? urls.sink : `${urls.sink}/`);
}

export function loadDemoCatalog(urls: DemoUrls, path = DEMO_CATALOG_PATH): Catalog {
  return validateCatalog(parseCatalogYaml(substituteDemoUrls(readFileSync(path, "utf8"), urls), path), path);
}
