/**
 * The semantic diff of two rendered models: one human-readable line per change, no values of
 * secrets, in a fixed section order. Pure; `cli/diff.ts` renders the two sides from git.
 */
import { diffBounds } from "./bounds";
import { diffChecks } from "./checks";
import { diffDashboards } from "./dashboards";
import { diffGitHub, diffVercel } from "./env";
import type { MonitoringModel } from "./model";
import { diffRouting } from "./routing";
import { diffRules } from "./rules";

export { EMPTY_MODEL, monitoringModel, type MonitoringModel } from "./model";

/**
 * Lines describing how `after` differs from `before`; empty when they are the same. When no
 * section explains a difference in the rendered files, one line names each such file.
 */
export function diffModels(before: MonitoringModel, after: MonitoringModel): string[] {
  const lines = [
    ...diffRules(before.rules, after.rules),
    ...diffBounds(before.bounds, after.bounds),
    ...diffDashboards(before.dashboards, after.dashboards),
    ...diffRouting(before.alerting, after.alerting),
    ...diffChecks(before.checks, after.checks),
    ...diffVercel(before.vercel, after.vercel),
    ...diffGitHub(before.github, after.github),
  ];
  if (lines.length) return lines;
  const files = [...new Set([...Object.keys(before.artifacts), ...Object.keys(after.artifacts)])].sort();
  return files
    .filter((f) => before.artifacts[f] !== after.artifacts[f])
    .map((f) => `file ${f}: ${f in before.artifacts ? (f in after.artifacts ? "changed" : "removed") : "added"}`);
}
