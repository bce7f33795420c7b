/** Running the Prometheus tool binaries that `verify` and the bench check rendered files with. */
import { spawn, spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { TOOL_NAMES, which, type Tool } from "../local/binaries";

export type { Tool };

export function findBinary(tool: Tool): string | undefined {
  return which(TOOL_NAMES[tool]);
}

export interface RunResult {
  ok: boolean;
  output: string;
}

export function runTool(binary: string, args: string[], cwd: string): RunResult {
  const r = spawnSync(binary, args, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return { ok: r.status === 0, output: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
}

/** Runs a tool once a core is free; `onStart` is called as it starts. */
export type ToolPool = (binary: string, args: string[], cwd: string, onStart?: () => void) => Promise<RunResult>;

/**
 * The Go runtime of a tool run beside others: held to one thread (GOMAXPROCS=1) so that concurrent
 * runs do not contend for the same cores, and collecting garbage half as often (GOGC=200: 10-20%
 * less CPU for promtool's short runs, measured; the Grafana twin's runs peak at ~130 MB).
 */
export const GO_TOOL_ENV = { GOMAXPROCS: "1", GOGC: "200" };

/** At most `cores` tool runs at once, each with GO_TOOL_ENV. */
export function toolPool(cores = availableParallelism()): ToolPool {
  let active = 0;
  const waiting: Array<() => void> = [];
  const env = { ...process.env, ...GO_TOOL_ENV };
  return async (binary, args, cwd, onStart) => {
    if (active >= cores) await new Promise<void>((start) => waiting.push(start));
    active++;
    try {
      onStart?.();
      return await spawned(binary, args, cwd, env);
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

function spawned(binary: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(binary, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e) => resolve({ ok: false, output: `${Buffer.concat(err).toString("utf8")}${String(e)}` }));
    child.on("close", (code) =>
      resolve({
        ok: code === 0,
        output: `${Buffer.concat(out).toString("utf8")}${Buffer.concat(err).toString("utf8")}`,
      }),
    );
  });
}
