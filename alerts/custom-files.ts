/**
 * Hand-written Prometheus rule files on disk. They belong to a catalog by place: the
 * `alerts/custom/` directory beside the catalog file, `*.yml` there for that catalog and
 * `<system>/*.yml` when its system matches. So this repository's `alerts/custom/prospectpro/`
 * applies to its own `Pulumi.prod.yaml`, never to a user's catalog elsewhere that happens to be
 * called prospectpro.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** The repository's own hand-written rules directory (`alerts/custom`), beside its `Pulumi.<stack>.yaml` files. */
export const CUSTOM_RULES_DIR = join(__dirname, "custom");

/** The hand-written rules directory of a catalog file: `alerts/custom` in the file's directory. */
export function customRulesDirFor(catalogFile: string): string {
  return join(dirname(resolve(catalogFile)), "alerts", "custom");
}

function yamlFiles(dir: string, prefix: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort())
    out[`${prefix}${f}`] = readFileSync(join(dir, f), "utf8");
  return out;
}

/** Rule files of `system` under `dir`: name relative to `dir` → text. */
export function readCustomRules(dir: string, system: string): Record<string, string> {
  return { ...yamlFiles(dir, ""), ...yamlFiles(join(dir, system), `${system}/`) };
}
