/**
 * Where a running `start` can be found by other commands (`ack`): one JSON file per running
 * stack, `<tmpdir>/ops-monitoring-<uid>/running/<pid>.json`, written once the stack is up and
 * removed when it stops. Files of processes that no longer exist are ignored and removed.
 * The shared temp dir lets other users create those paths first, so the dirs and records must
 * be this user's and private (no access for group or others), or they are refused.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

export interface RunningStack {
  pid: number;
  alertmanager: string;
  prometheus: string;
  workDir: string;
}

function registry(): string {
  return join(tmpdir(), `ops-monitoring-${userInfo().uid}`, "running");
}

/** Throws unless `path` (not a symlink) is a `kind` owned by this user with no access for group or others. */
function requirePrivate(path: string, kind: "directory" | "file"): void {
  const st = lstatSync(path);
  const problem = (kind === "directory" ? !st.isDirectory() : !st.isFile())
    ? `is not a ${kind}`
    : st.uid !== userInfo().uid
      ? `is owned by uid ${st.uid}, not by you (uid ${userInfo().uid})`
      : (st.mode & 0o077) !== 0
        ? `has mode ${(st.mode & 0o777).toString(8).padStart(4, "0")}: group or others may use it`
        : undefined;
  if (problem)
    throw new Error(
      `${path} ${problem}; refusing to trust the running-stack records there (someone may have planted them): remove it, or pass --alertmanager URL`,
    );
}

function requirePrivateRegistry(): void {
  requirePrivate(join(registry(), ".."), "directory");
  requirePrivate(registry(), "directory");
}

export function recordRunning(stack: RunningStack): void {
  mkdirSync(registry(), { recursive: true, mode: 0o700 });
  requirePrivateRegistry();
  writeFileSync(join(registry(), `${stack.pid}.json`), JSON.stringify(stack), { mode: 0o600 });
}

export function clearRunning(pid: number): void {
  rmSync(join(registry(), `${pid}.json`), { force: true });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** The local stacks running now, oldest pid first; throws when the records are not private to this user. */
export function runningStacks(): RunningStack[] {
  let files: string[];
  try {
    files = readdirSync(registry()).filter((f) => f.endsWith(".json"));
  } catch {
    return [];
  }
  requirePrivateRegistry();
  const out: RunningStack[] = [];
  for (const file of files) {
    const pid = Number(file.slice(0, -".json".length));
    if (!alive(pid)) {
      clearRunning(pid);
      continue;
    }
    requirePrivate(join(registry(), file), "file");
    try {
      out.push(JSON.parse(readFileSync(join(registry(), file), "utf8")) as RunningStack);
    } catch {
      continue;
    }
  }
  return out.sort((a, b) => a.pid - b.pid);
}
