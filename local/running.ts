/**
 * Where a running `start` can be found by other commands (`ack`): one JSON file per running
 * stack, `<tmpdir>/ops-monitoring-<uid>/running/<pid>.json`, written once the stack is up and
 * removed when it stops. Files of processes that no longer exist are ignored and removed.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

export function recordRunning(stack: RunningStack): void {
  mkdirSync(registry(), { recursive: true, mode: 0o700 });
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

/** The local stacks running now, oldest pid first. */
export function runningStacks(): RunningStack[] {
  let files: string[];
  try {
    files = readdirSync(registry()).filter((f) => f.endsWith(".json"));
  } catch {
    return [];
  }
  const out: RunningStack[] = [];
  for (const file of files) {
    const pid = Number(file.slice(0, -".json".length));
    if (!alive(pid)) {
      clearRunning(pid);
      continue;
    }
    try {
      out.push(JSON.parse(readFileSync(join(registry(), file), "utf8")) as RunningStack);
    } catch {
      continue;
    }
  }
  return out.sort((a, b) => a.pid - b.pid);
}
