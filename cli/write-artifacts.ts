import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Artifacts } from "../artifacts";

/** Directories `render` owns under the output dir; emptied first so removed services leave no stale files. */
const OWNED = ["prometheus/rules", "dashboards"];

export function writeArtifacts(dir: string, artifacts: Artifacts): void {
  for (const d of OWNED) rmSync(join(dir, d), { recursive: true, force: true });
  for (const [path, content] of Object.entries(artifacts)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}
