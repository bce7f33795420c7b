/**
 * Detection bounds (prod) of the alerts both sides have, where the worst case changed:
 * `detect web/probe P0 (prod): 7m40s → 4m40s (…terms…)`. Escalated copies are left out: their
 * change is the escalation's own line.
 */
import { formatTerms, human, type DetectionBound } from "../alerts/detection-bounds";

export function diffBounds(before: DetectionBound[], after: DetectionBound[]): string[] {
  const old = new Map(before.map((b) => [b.id, b]));
  return after.flatMap((b) => {
    const a = old.get(b.id);
    if (!a || b.escalation || a.totalMs === b.totalMs) return [];
    return [
      `detect ${b.id} ${b.severity} (${b.target}): ${human(a.totalMs)} → ${human(b.totalMs)} (${formatTerms(b)})`,
    ];
  });
}
