import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Artifacts } from "./artifacts";

/** Writes every artifact under `dir`, a directory the caller just created (temp dirs, work dirs); deletes nothing. */
export function writeArtifacts(dir: string, artifacts: Artifacts, write: typeof writeFileSync = writeFileSync): void {
  for (const [path, content] of Object.entries(artifacts)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    write(file, content);
  }
}
