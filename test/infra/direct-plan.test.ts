/**
 * `plan` computes a prod stack's resources directly (`infra/direct-plan.ts`) instead of running
 * the program under Pulumi's mocked engine. These tests run both on the same catalogs and stack
 * config and require byte-identical JSON: every resource's type, name, inputs (secrets masked),
 * secret inputs, and the stack outputs.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseCatalogFile, parseCatalogYaml } from "../../catalog/load";
import { readCustomRules } from "../../alerts/custom-files";
import { stackFileConfig } from "../../cli/plan";
import { generateCatalog } from "../../bench/catalog";
import { directPlan, SDK_SECRET_INPUTS } from "../../infra/direct-plan";
import {
  engineRequest,
  engineRequestAndCatalog,
  planStack,
  runProgramUnderMocks,
  type MockRunOptions,
} from "../../infra/offline-engine";
import { ROOT, GOOD } from "../helpers/catalogs";

/** Every case plans the GitHub provider's token from the environment, set for the test only. */
const GITHUB_TOKEN = "ghp_directPlanTestToken";

async function withGitHubToken<T>(work: () => T | Promise<T>): Promise<T> {
  const before = process.env.GITHUB_TOKEN;
  process.env.GITHUB_TOKEN = GITHUB_TOKEN;
  try {
    return await work();
  } finally {
    if (before === undefined) delete process.env.GITHUB_TOKEN;
    else process.env.GITHUB_TOKEN = before;
  }
}

interface Case {
  name: string;
  raw: unknown;
  options: MockRunOptions;
}

function fromFile(path: string, customRulesDir?: string): Case {
  const { catalog: raw, config } = parseCatalogFile(readFileSync(path, "utf8"), path);
  const system = (raw as { system: string }).system;
  return {
    name: relative(ROOT, path),
    raw,
    options: {
      config: stackFileConfig(config),
      ...(customRulesDir ? { customRules: readCustomRules(customRulesDir, system) } : {}),
    },
  };
}

const allKinds = parseCatalogYaml(readFileSync(join(GOOD, "all-kinds", "catalog.yaml"), "utf8"), "all-kinds") as Record<
  string,
  unknown
> & { services: Array<Record<string, unknown>> };

/** all-kinds with what no example has: probe credentials, a Vercel team and project id, private probes, an email contact's SMTP settings. */
const credentials = {
  ...allKinds,
  synthetics: { probes: ["Atlantis", "Frankfurt"], private_probes: ["Atlantis"] },
  services: [
    ...allKinds.services,
    {
      name: "portal",
      kind: "frontend",
      health: {
        url: "https://portal.example.com/health",
        auth: { username: "prober", password: { secret: "portalPw" } },
      },
      vercel: {
        project: "prj_portal123",
        team_id: "team_acme",
        env: { PORTAL_KEY: { secret: "portalKey", targets: ["production", "development"] } },
      },
    },
    {
      name: "partner",
      kind: "api",
      health: { url: "https://partner.example.com/health", auth: { bearer: { secret: "partnerToken" } } },
      vercel: { project: "partner-app", team_id: "team_acme", env: { PUBLIC_NAME: { value: "Partner" } } },
    },
  ],
};

const cases: Case[] = [
  fromFile(join(ROOT, "Pulumi.prod.yaml"), join(ROOT, "alerts", "custom")),
  ...["financial-advisory", "financial-platform", "kitchenpantry-crm", "prospectpro", "wyn"].map((n) =>
    fromFile(join(ROOT, "examples", `${n}.yaml`)),
  ),
  fromFile(join(GOOD, "all-kinds", "catalog.yaml")),
  fromFile(
    join(ROOT, "test", "fixtures", "community", "catalog.yaml"),
    join(ROOT, "test", "fixtures", "community", "alerts", "custom"),
  ),
  {
    name: "all-kinds on Grafana 11.0",
    raw: { ...allKinds, grafana: { ...(allKinds.grafana as object), version: "11.0" } },
    options: {},
  },
  { name: "all-kinds with probe credentials, a Vercel team and project id", raw: credentials, options: {} },
  { name: "a generated catalog of 60 services", raw: generateCatalog(60), options: {} },
];

for (const c of cases) {
  test(`the direct plan of ${c.name} is byte-identical to the program under Pulumi's mocked engine`, async () => {
    const { request, validated } = engineRequestAndCatalog(c.raw, "prod", c.options);
    assert.ok(validated, "the faked stack config validates");
    const { program, direct, prevalidated } = await withGitHubToken(async () => ({
      program: await runProgramUnderMocks(c.raw, "prod", c.options),
      direct: directPlan(request).run,
      prevalidated: directPlan(request, validated).run,
    }));
    assert.ok(program.resources.length > 10);
    assert.equal(JSON.stringify(direct, null, 1), JSON.stringify(program, null, 1));
    assert.equal(
      JSON.stringify(prevalidated, null, 1),
      JSON.stringify(program, null, 1),
      "with the catalog validated once",
    );
    assert.ok(!JSON.stringify(program).includes(GITHUB_TOKEN), "the GitHub token is a secret");
  });
}

test("a catalog validated from other stack config than the request's is validated again, not used", () => {
  const request = engineRequest(allKinds, "prod");
  const moved = { ...request, config: { ...request.config, "grafana:url": "https://elsewhere.example.com" } };
  const { validated: otherSystem } = engineRequestAndCatalog({ ...allKinds, system: "other" }, "prod");
  const { validated: own } = engineRequestAndCatalog(allKinds, "prod");
  for (const [req, validated] of [
    [request, otherSystem],
    [moved, own],
  ] as const)
    assert.equal(JSON.stringify(directPlan(req, validated).run), JSON.stringify(directPlan(req).run));
});

test("the direct plan wraps as secrets exactly the inputs the installed provider SDKs wrap", () => {
  const { resources } = directPlan(engineRequest(credentials, "prod")).run;
  const types = [...new Set(resources.map((r) => r.type))].filter((t) => !t.startsWith("ops-monitoring:"));
  const packages: Record<string, string> = {
    grafana: "@pulumiverse/grafana",
    vercel: "@pulumiverse/vercel",
    github: "@pulumi/github",
  };
  for (const type of types) {
    const [pkg, module, member] = type.split(":");
    const file =
      pkg === "pulumi"
        ? join(packages[member], "provider.js")
        : join(
            packages[pkg],
            ...(module.split("/")[0] === "index" ? [] : [module.split("/")[0].toLowerCase()]),
            `${module.split("/")[1]}.js`,
          );
    const source = readFileSync(require.resolve(file), "utf8");
    const wrapped = [...source.matchAll(/resourceInputs\["(\w+)"\] = args\?\.\1 \? pulumi\.secret\(args\.\1\)/g)]
      .map((m) => m[1])
      .sort();
    assert.deepEqual(wrapped, [...(SDK_SECRET_INPUTS[type] ?? [])].sort(), `${type} (${file})`);
  }
  assert.ok(types.includes("grafana:syntheticMonitoring/check:Check") && types.includes("pulumi:providers:github"));
});

test("a plan the direct computation cannot make is made by the program, failing as the program fails", async () => {
  const raw = { ...allKinds, synthetics: { probes: ["Atlantis"], private_probes: ["Atlantis"] } };
  const options = { probes: { Paris: 1 } };
  assert.throws(() => directPlan(engineRequest(raw, "prod", options)), /unknown Synthetic Monitoring probe Atlantis/);
  await assert.rejects(planStack(raw, "prod", options), (e: Error) => {
    assert.equal(e.name, "MockRunFailure");
    assert.match(e.message, /health\.probes: unknown Synthetic Monitoring probe Atlantis; available: Paris/);
    return true;
  });
});

test("an empty value, which the Vercel SDK drops, breaks the same provider fact in the direct plan and in the program", async () => {
  const raw = {
    ...allKinds,
    services: [
      ...allKinds.services,
      { name: "portal", kind: "frontend", vercel: { project: "portal", env: { EMPTY: { value: "" } } } },
    ],
  };
  const message = /"portal-EMPTY": \(resource\) needs exactly one of value, valueWo/;
  assert.throws(() => directPlan(engineRequest(raw, "prod")), message);
  await assert.rejects(runProgramUnderMocks(raw, "prod"), message);
});

test("the GitHub provider's token from GITHUB_TOKEN is planned as a secret", async () => {
  const { resources } = await withGitHubToken(() => directPlan(engineRequest(credentials, "prod")).run);
  const provider = resources.find((r) => r.type === "pulumi:providers:github")!;
  assert.deepEqual(provider.inputs, { baseUrl: "https://api.github.com/", owner: "acme", token: "[secret]" });
  assert.deepEqual(provider.secretInputs, ["token"]);
});
