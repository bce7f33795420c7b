/**
 * Dashboard JSON as the target Grafana version reads it: the `schemaVersion` it knows
 * (`DASHBOARD_SCHEMA`) and no option it lacks (`DASHBOARD_OPTION_SINCE`).
 */
import type { DashboardDoc } from "../../dashboards";
import { DASHBOARD_OPTION_SINCE, DASHBOARD_SCHEMA, type GrafanaVersion } from "../provider-facts";
import { atLeast } from "./versions";

/** The newest dashboard `schemaVersion` Grafana `version` understands. */
export function dashboardSchemaVersion(version: GrafanaVersion): number {
  const known = DASHBOARD_SCHEMA.filter((f) => atLeast(version, f.since));
  if (!known.length) throw new Error(`no dashboard schemaVersion is known for Grafana ${version.join(".")}`);
  return known[known.length - 1].schemaVersion;
}

interface Panel {
  options?: Record<string, unknown>;
  panels?: Panel[];
}

/**
 * `doc` for Grafana `version`. A stat panel's `percentChangeColorMode` is dropped before 11.1 only
 * when it is `standard`, what 11.0 draws without the option; another mode is refused.
 */
export function dashboardForGrafana(doc: DashboardDoc, version: GrafanaVersion): DashboardDoc {
  const colorMode = atLeast(version, DASHBOARD_OPTION_SINCE.percentChangeColorMode.version);
  const panel = (p: Panel): Panel => {
    const mode = p.options?.percentChangeColorMode;
    if (colorMode || mode === undefined) return p.panels ? { ...p, panels: p.panels.map(panel) } : p;
    if (mode !== "standard")
      throw new Error(
        `dashboard ${doc.key}: percentChangeColorMode ${JSON.stringify(mode)} needs Grafana ${DASHBOARD_OPTION_SINCE.percentChangeColorMode.version.join(".")} or later (grafana.version is ${version.join(".")})`,
      );
    const { percentChangeColorMode: _dropped, ...options } = p.options!;
    return { ...p, options, ...(p.panels ? { panels: p.panels.map(panel) } : {}) };
  };
  return {
    ...doc,
    json: {
      ...doc.json,
      schemaVersion: dashboardSchemaVersion(version),
      panels: ((doc.json.panels ?? []) as Panel[]).map(panel),
    },
  };
}
