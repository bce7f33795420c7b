/** Locating and running the Prometheus tool binaries (Debian or upstream names). */
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** Binary names per tool: Debian's first, then upstream's. */
export const BINARIES = {
  prometheus: ["prometheus"],
  promtool: ["promtool"],
  alertmanager: ["prometheus-alertmanager", "alertmanager"],
  amtool: ["amtool"],
  blackbox: ["prometheus-blackbox-exporter", "blackbox_exporter"],
} as const;
export type Tool = keyof typeof BINARIES;

/** Debian packages providing the tools. */
export const DEBIAN_PACKAGES = ["prometheus", "prometheus-alertmanager", "prometheus-blackbox-exporter"];

export function findBinary(tool: Tool): string | undefined {
  for (const name of BINARIES[tool]) {
    for (const dir of (process.env.PATH ?? "").split(delimiter)) {
      const path = join(dir, name);
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch {
        // not in this PATH entry
      }
    }
  }
  return undefined;
}

export interface RunResult {
  ok: boolean;
  output: string;
}

export function runTool(binary: string, args: string[], cwd: string): RunResult {
  const r = spawnSync(binary, args, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return { ok: r.status === 0, output: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
}
