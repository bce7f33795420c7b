/** `verify --catalog F`: render to a temp dir and check it with the real tools; exit 0 only if all pass. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderArtifacts, ruleGroupsOf, DEFAULT_RENDER_OPTIONS } from "../artifacts";
import { runChecks, type Progress } from "../verify/checks";
import { grafanaRulesCheck } from "../verify/grafana-rules";
import type { Args } from "./args";
import { loadInputs } from "./inputs";
import { writeArtifacts } from "../write-artifacts";
import { catalogBounds } from "../alerts/detection-bounds";
import { boundsJson, boundsTable, objectiveCheck } from "../alerts/detection-report";

/** Progress lines go to stderr only once verify has run this long. */
const PROGRESS_AFTER_MS = 3000;

/** `verify: <step> (12s)` on stderr before each step, once verify has run `PROGRESS_AFTER_MS`. */
export function progressReporter(
  startedMs: number,
  write: (line: string) => void = (line) => process.stderr.write(line),
): Progress {
  return (step) => {
    const elapsed = Date.now() - startedMs;
    if (elapsed >= PROGRESS_AFTER_MS) write(`verify: ${step} (${Math.round(elapsed / 1000)}s)\n`);
  };
}

export async function run(args: Args): Promise<number> {
  const startedMs = Date.now();
  const { catalog, customRules, path } = loadInputs(args);
  const options = { ...DEFAULT_RENDER_OPTIONS, customRules };
  const artifacts = renderArtifacts(catalog, options);
  const groups = ruleGroupsOf(catalog, options);
  const grafana = grafanaRulesCheck(catalog, groups);
  const dir = mkdtempSync(join(tmpdir(), "ops-monitoring-verify-"));
  try {
    writeArtifacts(dir, artifacts);
    const ruleFiles = Object.keys(artifacts).filter((p) => p.startsWith("prometheus/rules/"));
    const bounds = (["local", "prod"] as const).map((target) => ({
      target,
      bounds: catalogBounds(catalog, target, customRules),
    }));
    const objectives = objectiveCheck(
      catalog,
      bounds.flatMap((b) => b.bounds),
    );
    const results = [
      ...(await runChecks(dir, catalog, groups, ruleFiles, progressReporter(startedMs))),
      grafana,
      ...(objectives ? [objectives] : []),
    ];
    if (args.flags.json) {
      const failed = results.filter((r) => !r.ok).length;
      console.log(
        JSON.stringify(
          { ok: failed === 0, checks: results, detection_bounds: boundsJson(bounds.flatMap((b) => b.bounds)) },
          null,
          2,
        ),
      );
      return failed ? 1 : 0;
    }
    console.log(`${boundsTable(catalog, bounds)}\n`);
    for (const r of results)
      console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name}: ${r.ok ? r.detail : `\n${r.detail.replace(/^/gm, "     ")}`}`);
    const failed = results.filter((r) => !r.ok).length;
    console.log(
      failed
        ? `verify ${path}: ${failed} of ${results.length} checks failed`
        : `verify ${path}: all ${results.length} checks passed`,
    );
    return failed ? 1 : 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
