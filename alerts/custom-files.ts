/**
 * Hand-written Prometheus rule files on disk: `alerts/custom/*.yml` apply to every catalog,
 * `alerts/custom/<system>/*.yml` only to that system's.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The repository's own hand-written rules directory (`alerts/custom`). */
export const CUSTOM_RULES_DIR = join(__dirname, "custom");

function yamlFiles(dir: string, prefix: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) out[`${prefix}${f}`] = readFileSync(join(dir, f), "utf8");
  return out;
}

/** Rule files of `system` under `dir`: name relative to `dir` → text. */
export function readCustomRules(dir: string, system: string): Record<string, string> {
  return { ...yamlFiles(dir, ""), ...yamlFiles(join(dir, system), `${system}/`) };
}
