/**
 * Real-tool census for `test/run.ts --census`: promtool, amtool, Prometheus, Alertmanager and the
 * blackbox exporter run behind logging shims on PATH, and the report counts the tests each tool
 * backs (the test ran it, or ran while a process of it that its file started was alive) and how
 * often each ran. Compare before and after a change to the suite: no real-tool check dropped.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { which } from "../../local/binaries";

/** Binary name on PATH → tool. */
const SHIMS: Record<string, string> = {
  promtool: "promtool",
  amtool: "amtool",
  prometheus: "prometheus",
  alertmanager: "alertmanager",
  "prometheus-alertmanager": "alertmanager",
  blackbox_exporter: "blackbox",
  "prometheus-blackbox-exporter": "blackbox",
};

/** The environment for the test processes: the shims first on PATH, their log in CENSUS_LOG. */
export function censusEnv(): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), "census-"));
  const log = join(dir, "census.log");
  writeFileSync(log, "");
  for (const [bin, tool] of Object.entries(SHIMS)) {
    const real = which([bin], process.env.PATH ?? "");
    if (!real) continue;
    writeFileSync(
      join(dir, bin),
      `#!/bin/sh\nprintf 'spawn\\t%s\\t${tool}\\t%s\\n' "$$" "$CENSUS_TEST" >> "${log}"\nexec "${real}" "$@"\n`,
    );
    chmodSync(join(dir, bin), 0o755);
  }
  return { ...process.env, PATH: `${dir}:${process.env.PATH}`, CENSUS_LOG: log };
}

export function censusReport(env: NodeJS.ProcessEnv): void {
  const backed = new Map<string, Set<string>>();
  const runs = new Map<string, number>();
  const tests = new Set<string>();
  const add = (tool: string, test: string) => {
    if (!backed.has(tool)) backed.set(tool, new Set());
    backed.get(tool)!.add(test);
  };
  for (const line of readFileSync(env.CENSUS_LOG!, "utf8").split("\n")) {
    const [kind, , tools, file, name] = line.split("\t");
    if (kind === "spawn") {
      runs.set(tools, (runs.get(tools) ?? 0) + 1);
      if (name !== "(hook)") add(tools, `${file}\t${name}`);
    } else if (kind === "test") {
      tests.add(`${file}\t${name}`);
      for (const tool of tools ? tools.split(",") : []) add(tool, `${file}\t${name}`);
    }
  }
  const any = new Set([...backed.values()].flatMap((s) => [...s]));
  console.log(`\n── real-tool census: ${any.size} of ${tests.size} tests backed by a real tool`);
  for (const tool of ["promtool", "amtool", "prometheus", "alertmanager", "blackbox"])
    console.log(
      `  ${tool.padEnd(13)} ${String(backed.get(tool)?.size ?? 0).padStart(4)} tests ${String(runs.get(tool) ?? 0).padStart(5)} runs`,
    );
  const perFile = new Map<string, number>();
  for (const t of any) perFile.set(t.split("\t")[0], (perFile.get(t.split("\t")[0]) ?? 0) + 1);
  console.log(`  per file: ${[...perFile].map(([f, n]) => `${f} ${n}`).join(", ")}`);
  console.log(`  log: ${env.CENSUS_LOG}`);
}
