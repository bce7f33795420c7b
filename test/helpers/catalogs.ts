/** Catalog files the tests run every check on: the examples and the good fixtures. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { join } from "node:path";
import { parseCatalogYaml } from "../../catalog/load";

export const ROOT = join(__dirname, "..", "..");
export const BIN = join(ROOT, "bin", "ops-monitoring");
export const GOOD = join(ROOT, "test", "fixtures", "good");

export function goodFixtures(): string[] {
  return readdirSync(GOOD)
    .sort()
    .map((d) => join(GOOD, d, "catalog.yaml"));
}

/** Pulumi.prod.yaml, examples/*.yaml and every good fixture. */
export function exampleCatalogs(): string[] {
  const examples = existsSync(join(ROOT, "examples"))
    ? readdirSync(join(ROOT, "examples"))
        .filter((f) => f.endsWith(".yaml"))
        .sort()
        .map((f) => join(ROOT, "examples", f))
    : [];
  return [join(ROOT, "Pulumi.prod.yaml"), ...examples, ...goodFixtures()];
}

const catalogOf = (file: string) => parseCatalogYaml(readFileSync(file, "utf8"), file);

/**
 * Whether `file` (an example) holds Pulumi.prod.yaml's catalog, as examples/prospectpro.yaml does
 * (test/seed-examples.test.ts): checking Pulumi.prod.yaml checks it, with its hand-written rules too.
 */
export function holdsProdCatalog(file: string): boolean {
  return isDeepStrictEqual(catalogOf(file), catalogOf(join(ROOT, "Pulumi.prod.yaml")));
}

/** exampleCatalogs() less the examples holding Pulumi.prod.yaml's catalog. */
export function distinctCatalogs(): string[] {
  const [prod, ...rest] = exampleCatalogs();
  return [prod, ...rest.filter((f) => !holdsProdCatalog(f))];
}
