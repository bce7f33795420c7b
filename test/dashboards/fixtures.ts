/** Catalogs the dashboard tests share: the production catalog and generated ones of any size. */
import { join } from "node:path";
import { loadCatalogFile } from "../../catalog/load";
import type { Catalog } from "../../catalog/model";
import { validateCatalog } from "../../catalog/validate";

export const prod: Catalog = loadCatalogFile(join(__dirname, "..", "..", "Pulumi.prod.yaml"));

/** A valid catalog of `count` API services, each with a health check, an SLO and thresholds. */
export function generatedCatalog(count: number, system = "bench"): Catalog {
  return validateCatalog(
    {
      system,
      services: Array.from({ length: count }, (_, i) => ({
        name: `svc-${i}`,
        kind: "api",
        health: { url: `https://svc-${i}.example.com/health` },
        slos: [{ name: "availability", sli: "availability", objective: 99.9 }],
        thresholds: { error_rate: { P1: "5%" }, latency_p95: { P2: "2s" } },
      })),
    },
    `generated-${count}`,
  );
}

export interface PanelJson {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: Array<{ refId?: string; expr?: string; datasource?: { type?: string; uid?: string } }>;
  gridPos?: { x: number; y: number; w: number; h: number };
}

export function panelsOf(json: Record<string, unknown>): PanelJson[] {
  return json.panels as PanelJson[];
}
