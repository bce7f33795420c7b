/**
 * The work dir of one local run: rendered configs, a private secrets dir, data dirs and logs.
 *
 *   <dir>/config/{prometheus,alertmanager,blackbox,dashboards}/...   renderArtifacts output
 *   <dir>/secrets/<name>     0600 files in a 0700 dir, values from the environment
 *   <dir>/data/{prometheus,alertmanager}
 *   <dir>/logs/<component>.log
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Artifacts } from "../artifacts";
import { writeArtifacts } from "../write-artifacts";
import { secretEnvName } from "../conventions";

export interface WorkDir {
  root: string;
  config: string;
  secrets: string;
  data: string;
  logs: string;
}

/** Creates the work dir (a fresh temp dir unless `root` is given) with its private secrets dir. */
export function createWorkDir(root?: string): WorkDir {
  const dir = root ?? mkdtempSync(join(tmpdir(), "ops-monitoring-"));
  const w = { root: dir, config: join(dir, "config"), secrets: join(dir, "secrets"), data: join(dir, "data"), logs: join(dir, "logs") };
  for (const d of [w.root, w.config, w.data, w.logs]) mkdirSync(d, { recursive: true });
  mkdirSync(w.secrets, { recursive: true, mode: 0o700 });
  chmodSync(w.secrets, 0o700);
  return w;
}

/** Secret names the rendered files read from `secretsDir` (`<secretsDir>/<name>` references). */
export function referencedSecrets(artifacts: Artifacts, secretsDir: string): string[] {
  const escaped = secretsDir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`${escaped}/([A-Za-z0-9_.-]+)`, "g");
  const names = new Set<string>();
  for (const text of Object.values(artifacts)) for (const m of text.matchAll(re)) names.add(m[1]);
  return [...names].sort();
}

/**
 * Writes each secret the artifacts reference from its environment variable
 * (`conventions.secretEnvName`) into `secretsDir` as a 0600 file; returns the names whose
 * variable is unset (their notifications or scrapes will fail) — values are never returned or logged.
 */
export function writeSecrets(names: string[], secretsDir: string, env: NodeJS.ProcessEnv = process.env): { written: string[]; missing: Array<{ name: string; env: string }> } {
  const written: string[] = [];
  const missing: Array<{ name: string; env: string }> = [];
  for (const name of names) {
    const value = env[secretEnvName(name)];
    if (value === undefined || value === "") {
      missing.push({ name, env: secretEnvName(name) });
      continue;
    }
    const file = join(secretsDir, name);
    writeFileSync(file, value, { mode: 0o600 });
    chmodSync(file, 0o600);
    written.push(name);
  }
  return { written, missing };
}

export function writeConfig(w: WorkDir, artifacts: Artifacts): void {
  writeArtifacts(w.config, artifacts);
}
