/** Running the Prometheus tool binaries that `verify` and the bench check rendered files with. */
import { spawn, spawnSync } from "node:child_process";
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

/**
 * `runTool` without blocking, for one run per core: the Go runtime of each run is held to one
 * thread (GOMAXPROCS=1), so concurrent runs do not contend for the same cores.
 */
export function runToolAsync(binary: string, args: string[], cwd: string): Promise<RunResult> {
  return new Promise((resolve) => {
    const env = { ...process.env, GOMAXPROCS: "1" };
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
