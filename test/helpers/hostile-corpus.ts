/**
 * The hostile catalog corpus: `test/fixtures/hostile/<class>.yaml`, each a list of cases with
 * the catalog text, the exit code and the exact problem lines `render` must print.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ROOT } from "./catalogs";

export const HOSTILE = join(ROOT, "test", "fixtures", "hostile");

export interface HostileCase {
  class: string;
  case: string;
  /** Why the case is there, when the name does not say it. */
  note?: string;
  catalog: string;
  /** Hand-written rule files (`alerts/custom/`), name → text. Default none. */
  custom_rules?: Record<string, string>;
  /** Default 2. */
  exit?: number;
  /** Problem lines after the `<file>: N problems` header, exactly. */
  message: string;
}

export function hostileCases(): HostileCase[] {
  return readdirSync(HOSTILE)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .flatMap((f) =>
      (parse(readFileSync(join(HOSTILE, f), "utf8")) as Array<Omit<HostileCase, "class">>).map((c) => ({
        ...c,
        class: f.replace(/\.yaml$/, ""),
      })),
    );
}

/** Writes a case's catalog and custom rules under `dir`; returns the argv of `render` into `<dir>/out`. */
export function renderArgv(c: HostileCase, dir: string): { argv: string[]; catalog: string; out: string } {
  mkdirSync(join(dir, "custom"), { recursive: true });
  const catalog = join(dir, `${c.case}.yaml`);
  writeFileSync(catalog, c.catalog);
  for (const [name, text] of Object.entries(c.custom_rules ?? {})) writeFileSync(join(dir, "custom", name), text);
  const out = join(dir, "out");
  return { argv: ["render", "--catalog", catalog, "--out", out, "--custom-rules", join(dir, "custom")], catalog, out };
}
