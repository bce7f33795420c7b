/**
 * `bin/ops-monitoring start` as a child process, as the e2e tests and the MTTD bench drive it:
 * its output lines and URLs, the processes it started, stopping it and everything it started.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sleep } from "./component";

const REPO = join(__dirname, "..");

export interface StartProcess {
  child: ChildProcess;
  lines: string[];
  /** Resolves with the first output line matching `re` (already printed or coming); rejects after `timeoutMs` or on exit. */
  waitForLine(re: RegExp, timeoutMs: number): Promise<string>;
  /** URLs and paths printed at start, by component name (`prometheus`, `demo app`, `work dir`, ...). */
  urls: Record<string, string>;
  exited: Promise<number | null>;
}

const URL_LINE = /^ {2}(work dir|prometheus|alertmanager|blackbox|demo app|sink)\s+(\S+)/;

export function spawnStart(args: string[], env: NodeJS.ProcessEnv = process.env): StartProcess {
  const child = spawn(join(REPO, "bin", "ops-monitoring"), ["start", ...args], {
    cwd: REPO,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const urls: Record<string, string> = {};
  const listeners = new Set<(line: string) => void>();
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  const onData = (buffered: { rest: string }) => (chunk: Buffer) => {
    const parts = (buffered.rest + chunk.toString("utf8")).split("\n");
    buffered.rest = parts.pop() ?? "";
    for (const line of parts) {
      lines.push(line);
      const m = URL_LINE.exec(line);
      if (m) urls[m[1]] = m[2].replace(/\/$/, "");
      if (process.env.E2E_VERBOSE) console.log(`[start ${child.pid}] ${line}`);
      for (const l of listeners) l(line);
    }
  };
  child.stdout.on("data", onData({ rest: "" }));
  child.stderr.on("data", onData({ rest: "" }));
  return {
    child,
    lines,
    urls,
    exited,
    waitForLine(re, timeoutMs) {
      const seen = lines.find((l) => re.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const done = (fn: () => void) => {
          clearTimeout(timer);
          listeners.delete(listener);
          fn();
        };
        const listener = (line: string) => re.test(line) && done(() => resolve(line));
        const timer = setTimeout(
          () =>
            done(() => reject(new Error(`no line matching ${re} within ${timeoutMs}ms; output:\n${lines.join("\n")}`))),
          timeoutMs,
        );
        listeners.add(listener);
        void exited.then((code) =>
          done(() =>
            reject(new Error(`start exited (${code ?? exitCode}) before printing ${re}; output:\n${lines.join("\n")}`)),
          ),
        );
      });
    },
  };
}

/** Every live descendant of `pid`, from /proc (zombies excluded). */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] !== "Z") parent.set(Number(entry), Number(fields[1]));
    } catch {
      // Exited while listing.
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, pp] of parent)
      if (pp === p) {
        out.push(child);
        walk(child);
      }
  };
  walk(pid);
  return out;
}

export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

export { sleep };

/** `p`'s value, or `"timeout"` after `ms`; the timer is cleared when `p` settles, so it never keeps the process alive. */
export async function within<T>(p: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), ms)));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `probe` every `everyMs` until it returns a value other than undefined; throws `what` after `timeoutMs`. */
export async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => T | undefined | Promise<T | undefined>,
  everyMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await sleep(everyMs);
  }
  throw new Error(
    `timed out after ${timeoutMs}ms waiting for ${what}${last ? ` (last error: ${last instanceof Error ? last.message : JSON.stringify(last)})` : ""}`,
  );
}

/** SIGINT to `start`; resolves with its exit code after checking none of `children` outlived it. */
export async function interruptAndCheck(
  p: StartProcess,
  timeoutMs: number,
): Promise<{ code: number | null; survivors: number[] }> {
  const children = descendants(p.child.pid!);
  p.child.kill("SIGINT");
  const code = await within(p.exited, timeoutMs);
  if (code === "timeout") throw new Error(`start did not exit within ${timeoutMs}ms of SIGINT`);
  return { code, survivors: children.filter(alive) };
}

/** Cleanup for `after()`: SIGINT, then SIGKILL to `start` and whatever it started if it has not exited in time. */
export async function stopStart(p: StartProcess | undefined, timeoutMs = 20_000): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  const children = descendants(p.child.pid!);
  p.child.kill("SIGINT");
  if ((await within(p.exited, timeoutMs)) !== "timeout") return;
  for (const pid of [p.child.pid!, ...children]) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}
