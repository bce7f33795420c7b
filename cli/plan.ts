/**
 * `plan --catalog F --stack prod|local [--json]`: prints every resource the Pulumi program would
 * register, sorted by type then name (`planStack`: computed directly for a prod stack, proved
 * identical to the program under a mocked engine; the program itself otherwise). Secret values
 * print as "[secret]". Needs no network, credentials or Pulumi CLI.
 *
 * When F is a Pulumi stack file, its other config keys (grafana:url, ...) are used; secure
 * values and anything missing get placeholders.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { CatalogError, formatWarnings } from "../catalog/diagnostics";
import { CATALOG_CONFIG_KEY, parseCatalogFile } from "../catalog/load";
import { validateCatalog } from "../catalog/validate";
import { StackConfigError } from "../infra/config";
import { ProviderFactsError } from "../infra/provider-facts";
import {
  MockRunFailure,
  PLACEHOLDER_SECRET_PREFIX,
  planStack,
  SECRET_MARK,
  type ConfigValue,
  type RegisteredResource,
} from "../infra/offline-engine";
import { catalogPath, stringFlag, UsageError, type Args } from "./args";
import { readCustomRules } from "../alerts/custom-files";
import { ruleWarnings } from "../alerts/rule-warnings";
import { customRulesDir } from "./inputs";
import { catalogBounds } from "../alerts/detection-bounds";
import { boundsJson, boundsTable } from "../alerts/detection-report";

/** The directory of Pulumi.yaml. */
const PROJECT_DIR = join(__dirname, "..");

/** Config keys of a Pulumi stack file (its `config` map) besides the catalog; `secure:` values become placeholders. */
export function stackFileConfig(config: Record<string, unknown> = {}): Record<string, ConfigValue> {
  const out: Record<string, ConfigValue> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === CATALOG_CONFIG_KEY) continue;
    const full = key.includes(":") ? key : `ops-monitoring:${key}`;
    if (value && typeof value === "object" && "secure" in value)
      out[full] = { secret: `${PLACEHOLDER_SECRET_PREFIX}${full}` };
    else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
      out[full] = String(value);
  }
  return out;
}

function summary(value: unknown): string {
  if (value === SECRET_MARK) return SECRET_MARK;
  if (typeof value === "string") return value.length > 48 ? `(${value.length} chars)` : value;
  if (Array.isArray(value))
    return value.every((v) => typeof v !== "object") && value.length <= 4
      ? `[${value.join(",")}]`
      : `[${value.length}]`;
  if (value && typeof value === "object") return "{…}";
  return String(value);
}

/** One line per resource: type, name, and its top-level inputs abbreviated. */
export function planTable(resources: RegisteredResource[]): string {
  const rows = resources.map((r) => [
    r.type,
    r.name,
    Object.entries(r.inputs)
      .map(([k, v]) => `${k}=${summary(v)}`)
      .join(" "),
  ]);
  const width = [0, 1].map((i) => rows.reduce((max, row) => Math.max(max, row[i].length), 4));
  const line = (row: string[]) => `${row[0].padEnd(width[0])}  ${row[1].padEnd(width[1])}  ${row[2]}`.trimEnd();
  return [line(["TYPE", "NAME", "KEY INPUTS"]), ...rows.map(line), `${resources.length} resources`].join("\n");
}

/** The project's own stacks (prod, local) and every `Pulumi.<stack>.yaml` beside Pulumi.yaml or the catalog file. */
function knownStacks(catalogFile: string): string[] {
  const stacks = new Set(["prod", "local"]);
  for (const dir of [PROJECT_DIR, dirname(resolve(catalogFile))]) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const m = /^Pulumi\.([A-Za-z0-9_.-]+)\.ya?ml$/.exec(name);
      if (m) stacks.add(m[1]);
    }
  }
  return [...stacks].sort();
}

export async function run(args: Args): Promise<number> {
  const path = catalogPath(args);
  const stack = stringFlag(args, "stack", "prod");
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new UsageError(`--stack "${stack}" is not a stack name`);
  const stacks = knownStacks(path);
  if (!stacks.includes(stack))
    throw new UsageError(
      `plan: --stack "${stack}" is not a stack of this project (${stacks.join(", ")}); a stack NAME needs a Pulumi.NAME.yaml beside the catalog or Pulumi.yaml`,
    );
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new CatalogError([{ path: "", message: `cannot read file: ${(e as Error).message}` }], path);
  }
  const { catalog: raw, config } = parseCatalogFile(text, path);
  // Report catalog problems against the file (the program names the stack config key instead).
  const catalog = validateCatalog(raw, path);
  const customRules = readCustomRules(customRulesDir(args, path), catalog.system);
  for (const line of formatWarnings(ruleWarnings(catalog, customRules), path)) console.error(line);
  try {
    const result = await planStack(raw, stack, { config: stackFileConfig(config), customRules });
    const resources = result.resources.map(({ type, name, inputs }) => ({ type, name, inputs }));
    const target = stack === "local" ? "local" : "prod";
    const bounds = catalogBounds(catalog, target, customRules);
    console.log(
      args.flags.json
        ? JSON.stringify({ resources, detection_bounds: boundsJson(bounds) }, null, 2)
        : `${planTable(result.resources)}\n\n${boundsTable(catalog, [{ target, bounds }])}`,
    );
    return 0;
  } catch (e) {
    if (e instanceof MockRunFailure && (e.cause instanceof CatalogError || e.cause instanceof StackConfigError)) {
      console.error(e.message);
      return 2;
    }
    if (e instanceof MockRunFailure && e.cause instanceof ProviderFactsError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
}
