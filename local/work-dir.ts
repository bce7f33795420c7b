/**
 * The work dir of one local run: rendered configs, a private secrets dir, data dirs and logs,
 * under a private (0700, owned by the user) base dir: `$XDG_RUNTIME_DIR/ops-monitoring`, else
 * `<tmpdir>/ops-monitoring-<uid>`. A `pid` file names the run that owns it, so the next run
 * removes the dirs of runs that died without cleaning up (`kill -9`).
 *
 *   <dir>/pid                 "<pid> <process start time>" while the run lives
 *   <dir>/config/{prometheus,alertmanager,blackbox,dashboards}/...   renderArtifacts output
 *   <dir>/secrets/<name>     0600 files in a 0700 dir, values from the environment
 *   <dir>/data/{prometheus,alertmanager}
 *   <dir>/logs/<component>.log
 */
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
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

const RUN_PREFIX = "run-";
const PID_FILE = "pid";

/** The private dir every run's work dir lives in; created 0700, refused when someone else could list or swap it. */
export function workBase(env: NodeJS.ProcessEnv = process.env): string {
  const uid = process.getuid?.() ?? 0;
  const runtime = env.XDG_RUNTIME_DIR;
  const base =
    runtime && existsSync(runtime) ? join(runtime, "ops-monitoring") : join(tmpdir(), `ops-monitoring-${uid}`);
  mkdirSync(base, { recursive: true, mode: 0o700 });
  const st = lstatSync(base);
  if (!st.isDirectory() || st.uid !== uid)
    throw new Error(`${base} is not a directory owned by you; remove it or set XDG_RUNTIME_DIR to a private directory`);
  if ((st.mode & 0o077) !== 0) chmodSync(base, 0o700);
  return base;
}

/** Start time of process `pid` in clock ticks since boot (Linux), telling a live run from a reused pid. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function running(pid: number, start: string | undefined): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const now = processStart(pid);
  return start === undefined || now === undefined || now === start;
}

/**
 * Removes the work dirs under `base` whose run died without cleaning up: a pid file naming a
 * process that no longer runs. Dirs without a pid file (kept with `--keep` or after a crash,
 * or being created right now) are left alone. Returns the removed paths.
 */
export function removeStaleWorkDirs(base: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(base)
    .filter((n) => n.startsWith(RUN_PREFIX))
    .sort()) {
    const dir = join(base, name);
    let owner: string;
    try {
      owner = readFileSync(join(dir, PID_FILE), "utf8");
    } catch {
      continue;
    }
    const [pid, start] = owner.trim().split(" ");
    if (!/^\d+$/.test(pid) || running(Number(pid), start)) continue;
    rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

/**
 * Creates the work dir with its private secrets dir: `root` if given, else a fresh dir under
 * `workBase()` owned by this process (after removing the dirs of dead runs, reported via `log`).
 */
export function createWorkDir(
  root?: string,
  log: (line: string) => void = () => {},
  env: NodeJS.ProcessEnv = process.env,
): WorkDir {
  let dir = root;
  if (!dir) {
    const base = workBase(env);
    for (const stale of removeStaleWorkDirs(base))
      log(`removed ${stale}, the work dir of a run that ended without cleaning up`);
    dir = mkdtempSync(join(base, RUN_PREFIX));
    writeFileSync(join(dir, PID_FILE), `${process.pid} ${processStart(process.pid) ?? ""}`.trim() + "\n");
  }
  const w = {
    root: dir,
    config: join(dir, "config"),
    secrets: join(dir, "secrets"),
    data: join(dir, "data"),
    logs: join(dir, "logs"),
  };
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
export function writeSecrets(
  names: string[],
  secretsDir: string,
  env: NodeJS.ProcessEnv = process.env,
): { written: string[]; missing: Array<{ name: string; env: string }> } {
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

/** Keeps a stopped run's work dir for inspection: logs and configs stay, secret values and the pid file go. */
export function retire(w: WorkDir): void {
  rmSync(w.secrets, { recursive: true, force: true });
  rmSync(join(w.root, PID_FILE), { force: true });
}

export function writeConfig(w: WorkDir, artifacts: Artifacts): void {
  writeArtifacts(w.config, artifacts);
}
