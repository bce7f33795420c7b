/** Detection bounds as people review them: a table per target, the JSON form, and the objective check. */
import type { Catalog } from "../catalog/model";
import { formatDuration } from "../catalog/units";
import { human, objectiveMisses, type DetectionBound } from "./detection-bounds";

export interface BoundJson {
  id: string;
  alert: string;
  severity: string;
  target: string;
  incident: string;
  /** null when the expression never crosses under the incident. */
  total_seconds: number | null;
  terms: Array<{ term: string; seconds: number | null }>;
  escalation: boolean;
}

const seconds = (ms: number) => (ms === Infinity ? null : ms / 1000);

export function boundsJson(bounds: DetectionBound[]): BoundJson[] {
  return bounds.map((b) => ({
    id: b.id,
    alert: b.alert,
    severity: b.severity,
    target: b.target,
    incident: b.incident,
    total_seconds: seconds(b.totalMs),
    terms: b.terms.map((t) => ({ term: t.term, seconds: seconds(t.ms) })),
    escalation: b.escalation,
  }));
}

/**
 * One row per alert: id, alert name, severity, the bound in each target given (same alert
 * ids in each), and the incident. `objective` marks a bound over its severity's `detect`.
 */
export function boundsTable(catalog: Catalog, byTarget: Array<{ target: string; bounds: DetectionBound[] }>): string {
  const detect = new Map(catalog.alerting.objectives.flatMap((o) => (o.detectMs ? [[o.severity, o.detectMs]] : [])));
  const [first] = byTarget;
  const index = byTarget.map(({ bounds }) => new Map(bounds.map((b) => [b.id, b])));
  const cell = (b: DetectionBound | undefined) => {
    if (!b) return "-";
    const limit = detect.get(b.severity);
    return `${human(b.totalMs)}${!b.escalation && limit !== undefined && b.totalMs > limit ? " (over)" : ""}`;
  };
  const rows = first.bounds.map((b) => [b.id, b.alert, b.severity, ...index.map((m) => cell(m.get(b.id))), b.incident]);
  const header = ["ALERT ID", "NAME", "SEV", ...byTarget.map((t) => `DETECT ${t.target.toUpperCase()}`), "INCIDENT"];
  const width = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(width[i])))
      .join("  ")
      .trimEnd();
  const objectives = catalog.alerting.objectives
    .filter((o) => o.detectMs)
    .map((o) => `${o.severity} ${formatDuration(o.detectMs!)}`);
  return [
    `Detection bounds: worst case from the start of the stated incident to the first notification${objectives.length ? ` (objectives: detect ${objectives.join(", ")})` : ""}`,
    line(header),
    ...rows.map(line),
  ].join("\n");
}

/** The `verify` check of `alerting.objectives.<severity>.detect`; undefined when no severity sets one. */
export function objectiveCheck(
  catalog: Catalog,
  bounds: DetectionBound[],
): { name: string; ok: boolean; detail: string } | undefined {
  const detect = catalog.alerting.objectives.filter((o) => o.detectMs);
  if (!detect.length) return undefined;
  const misses = objectiveMisses(catalog, bounds);
  const checked = bounds.filter((b) => !b.escalation && detect.some((o) => o.severity === b.severity));
  return {
    name: "detection objectives",
    ok: misses.length === 0,
    detail: misses.length
      ? `${misses.length} alert bound(s) exceed their severity's detect objective:\n${misses.join("\n")}`
      : `${checked.length} alert bounds within ${detect.map((o) => `${o.severity} detect ${formatDuration(o.detectMs!)}`).join(", ")}`,
  };
}
