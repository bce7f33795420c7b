import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Artifacts } from "./artifacts";

/**
 * Why `path` would not stay inside the directory it is written under: absolute, a `..`, `.` or
 * empty segment, a backslash or a NUL byte. Validation refuses the names these paths are made of;
 * this is the last line against a name that slipped through.
 */
function unsafePathProblem(path: string): string | undefined {
  if (/[\\\0]/.test(path)) return "contains a backslash or NUL";
  if (path.split("/").some((seg) => seg === "" || seg === "." || seg === ".."))
    return "is absolute or has an empty, . or .. segment";
  return undefined;
}

/**
 * Writes every artifact under `dir`, a directory the caller just created (temp dirs, work dirs);
 * deletes nothing. Refuses, before writing anything, a path that would leave `dir`.
 */
export function writeArtifacts(dir: string, artifacts: Artifacts, write: typeof writeFileSync = writeFileSync): void {
  for (const path of Object.keys(artifacts)) {
    const problem = unsafePathProblem(path);
    if (problem) throw new Error(`refusing to write ${JSON.stringify(path)}: it ${problem}, so it could leave ${dir}`);
  }
  for (const [path, content] of Object.entries(artifacts)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    write(file, content);
  }
}
