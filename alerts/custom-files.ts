/**
 * Hand-written Prometheus rule files on disk. They belong to a catalog by place: the
 * `alerts/custom/` directory beside the catalog file, `*.yml` there for that catalog and
 * everything below `<system>/` when its system matches (sub-directories included, so a
 * published rule set is dropped in as a directory). So this repository's
 * `alerts/custom/prospectpro/` applies to its own `Pulumi.prod.yaml`, never to a user's catalog
 * elsewhere that happens to be called prospectpro.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** The repository's own hand-written rules directory (`alerts/custom`), beside its `Pulumi.<stack>.yaml` files. */
export const CUSTOM_RULES_DIR = join(__dirname, "custom");

/** The hand-written rules directory of a catalog file: `alerts/custom` in the file's directory. */
export function customRulesDirFor(catalogFile: string): string {
  return join(dirname(resolve(catalogFile)), "alerts", "custom");
}

const YAML_FILE = /\.ya?ml$/;

function yamlFiles(dir: string, prefix: string, recursive: boolean, out: Record<string, string>): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.isFile() && YAML_FILE.test(entry.name))
      out[`${prefix}${entry.name}`] = readFileSync(join(dir, entry.name), "utf8");
    else if (recursive && entry.isDirectory()) yamlFiles(join(dir, entry.name), `${prefix}${entry.name}/`, true, out);
  }
}

/** Rule files of `system` under `dir`: name relative to `dir` → text. */
export function readCustomRules(dir: string, system: string): Record<string, string> {
  const out: Record<string, string> = {};
  yamlFiles(dir, "", false, out);
  yamlFiles(join(dir, system), `${system}/`, true, out);
  return out;
}
