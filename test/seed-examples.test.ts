import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCatalogYaml } from "../catalog/load";
import { runProgramUnderMocks } from "../infra/offline-engine";
import { ROOT } from "./helpers/catalogs";

/**
 * One catalog per seed system (../shared/seeds), mapped requirement by requirement in docs/seeds.md.
 * Each is verified with the real tools, without warnings, by test/alerts/verify.test.ts, and
 * planned on the prod stack against every provider fact by test/contract/provider-facts.test.ts.
 */
const SEEDS = ["kitchenpantry-crm", "prospectpro", "financial-advisory", "wyn"].map((n) =>
  join(ROOT, "examples", `${n}.yaml`),
);

test("examples/prospectpro.yaml is the catalog of Pulumi.prod.yaml", () => {
  const prod = parseCatalogYaml(readFileSync(join(ROOT, "Pulumi.prod.yaml"), "utf8"), "Pulumi.prod.yaml");
  assert.deepEqual(parseCatalogYaml(readFileSync(SEEDS[1], "utf8"), "prospectpro.yaml"), prod);
});

test("WYN's GROQ_API_KEY (Dev/Preview) is two Vercel variables: sensitive on preview, encrypted on development", async () => {
  const raw = parseCatalogYaml(readFileSync(SEEDS[3], "utf8"), "wyn.yaml");
  const { resources } = await runProgramUnderMocks(raw, "prod");
  const groq = resources
    .filter((r) => r.inputs.key === "GROQ_API_KEY")
    .map((r) => [r.name, r.inputs.targets, r.inputs.sensitive]);
  assert.deepEqual(groq, [
    ["wyn-GROQ_API_KEY-development", ["development"], false],
    ["wyn-GROQ_API_KEY-preview", ["preview"], true],
  ]);
});
