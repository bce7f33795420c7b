/** What every generator needs besides its own slice of the catalog: the catalog and how to link to dashboards. */
import type { Catalog } from "../catalog/model";
import type { DashboardKey, RunbookKey } from "../conventions";

export interface GenContext {
  catalog: Catalog;
  /** URL of a dashboard panel (scoped to a service), or undefined when it has none. */
  dashboardUrl(key: DashboardKey, panel: string, service?: string): string | undefined;
  /** URL of a runbook page (the catalog's runbook base URL and the page). */
  runbookUrl(key: RunbookKey): string;
  /** `local` profile: every alert's `for` is capped at `LOCAL_MAX_FOR_MS`, so a laptop demo reacts in seconds. */
  profile: "prod" | "local";
  /** Whether alerts carry their generated promtool test and detection model (`GenerateOptions.checks`). */
  checks: boolean;
}

/** Longest `for` of any alert in the local profile. */
export const LOCAL_MAX_FOR_MS = 10_000;
