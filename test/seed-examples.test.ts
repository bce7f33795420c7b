import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCatalogYaml } from "../catalog/load";
import { runProgramUnderMocks } from "../infra/offline-engine";
import { BIN, ROOT } from "./helpers/catalogs";

/** One catalog per seed system (../shared/seeds), mapped requirement by requirement in docs/seeds.md. */
const SEEDS = ["kitchenpantry-crm", "prospectpro", "financial-advisory", "wyn"].map((n) =>
  join(ROOT, "examples", `${n}.yaml`),
);

for (const file of SEEDS) {
  const name = file.split("/").pop()!;
  test(`the seed example ${name} passes verify with the real tools and no warnings`, () => {
    const r = spawnSync(BIN, ["verify", "--catalog", file], { cwd: ROOT, encoding: "utf8" });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stderr, "");
  });
  test(`the seed example ${name} plans on the prod stack`, async () => {
    const raw = parseCatalogYaml(readFileSync(file, "utf8"), file);
    const { resources } = await runProgramUnderMocks(raw, "prod");
    assert.ok(resources.some((r) => r.type === "grafana:alerting/ruleGroup:RuleGroup"));
  });
}

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
