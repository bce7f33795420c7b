/** Catalog files the tests run every check on: the examples and the good fixtures. */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

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
