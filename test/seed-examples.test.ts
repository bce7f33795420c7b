import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCatalogYaml } from "../catalog/load";
import { checkCatalog } from "../catalog/validate";
import { catalogBounds } from "../alerts/detection-bounds";
import { objectiveCheck } from "../alerts/detection-report";
import { runProgramUnderMocks } from "../infra/offline-engine";
import { ROOT } from "./helpers/catalogs";
import { cli } from "./helpers/cli-in-process";

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

test("seed 001's catalog with its runbook's 5-minute health checks misses P0 detect 5m, each probe named with its terms", () => {
  const fiveMinute = readFileSync(SEEDS[1], "utf8").replaceAll("every: 2m", "every: 5m");
  const { catalog } = checkCatalog(parseCatalogYaml(fiveMinute, "prospectpro.yaml"), "prospectpro.yaml");
  const check = objectiveCheck(
    catalog,
    (["local", "prod"] as const).flatMap((target) => catalogBounds(catalog, target)),
  );
  assert.equal(check?.ok, false);
  // probe 5m + timeout 10s + crossing 0s + evaluation 1m + for 1m + group_wait 30s = 7m40s (integrations: timeout 15s)
  assert.match(
    check.detail,
    /prod web\/probe \(ProbeDown P0\): worst case 7m40s exceeds alerting\.objectives\.P0\.detect 5m — a full outage: every probe fails: probe every 5m \+ probe timeout 10s \+ crossing \(first sample of the incident\) 0s \+ evaluation 1m \+ for 1m \+ group_wait 30s = 7m40s/,
  );
  const named = [...check.detail.matchAll(/^\s*prod (\S+) \(ProbeDown P0\): worst case (\S+)/gm)].map(
    (m) => `${m[1]} ${m[2]}`,
  );
  assert.deepEqual(named, [
    "db/probe 7m40s",
    "discovery/probe 7m40s",
    "enrichment/probe 7m40s",
    "export/probe 7m40s",
    "integrations/probe 7m45s",
    "web/probe 7m40s",
  ]);
});

test("verify fails, exit 1, when a health check probed every 5m misses P0 detect 5m, and prints the check", async () => {
  const dir = mkdtempSync(join(tmpdir(), "detect-objective-"));
  try {
    writeFileSync(
      join(dir, "catalog.yaml"),
      `system: tiny
services:
  - name: web
    kind: frontend
    health: { url: "http://127.0.0.1:3000/api/health", every: 5m }
alerting:
  objectives: { P0: { detect: 5m } }
  routes: { P0: [hook] }
  contacts:
    hook: { type: webhook, url: "http://127.0.0.1:9999/alerts" }
`,
    );
    const r = await cli(["verify", "--catalog", join(dir, "catalog.yaml")], { cwd: ROOT });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^FAIL detection objectives: $/m);
    assert.match(
      r.stdout,
      /^\s+prod web\/probe \(ProbeDown P0\): worst case \S+ exceeds alerting\.objectives\.P0\.detect 5m/m,
    );
    assert.match(r.stdout, /promtool test rules: \d+ alerts fire on matching series and stay quiet otherwise/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
