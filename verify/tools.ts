/** Running the Prometheus tool binaries that `verify` and the bench check rendered files with. */
import { spawnSync } from "node:child_process";
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
