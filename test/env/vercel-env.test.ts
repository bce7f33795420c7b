import { test } from "node:test";
import assert from "node:assert/strict";
import { checkCatalog } from "../../catalog/validate";
import { vercelEnvSpecs } from "../../env/vercel-env";
import { runProgramUnderMocks } from "../../infra/offline-engine";
import { rotationReport } from "../../cli/secrets";

const ENV_VAR = "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable";

function catalog(env: Record<string, unknown>, vercel: Record<string, unknown> = {}) {
  return {
    system: "wyn",
    grafana: { url: "https://wyn.grafana.net" },
    runbooks: { base_url: "https://github.com/acme/wyn/blob/main/docs/runbooks" },
    services: [{ name: "web", kind: "frontend", vercel: { project: "wyn-web", env, ...vercel } }],
  };
}

test("a secret for preview and development becomes a sensitive preview variable and a non-sensitive development one", () => {
  const specs = vercelEnvSpecs(
    checkCatalog(catalog({ GROQ_API_KEY: { secret: "groqApiKey", targets: ["development", "preview"] } })).catalog,
  );
  assert.deepEqual(
    specs.map((s) => ({ name: s.name, key: s.key, targets: s.targets, sensitive: s.sensitive, source: s.source })),
    [
      {
        name: "wyn-web-GROQ_API_KEY-preview",
        key: "GROQ_API_KEY",
        targets: ["preview"],
        sensitive: true,
        source: { secret: "groqApiKey" },
      },
      {
        name: "wyn-web-GROQ_API_KEY-development",
        key: "GROQ_API_KEY",
        targets: ["development"],
        sensitive: false,
        source: { secret: "groqApiKey" },
      },
    ],
  );
});

test("plan shows the split secret as two Vercel variables, both with a secret value", async () => {
  const { resources } = await runProgramUnderMocks(
    catalog({ GROQ_API_KEY: { secret: "groqApiKey", targets: ["preview", "development"] } }),
    "prod",
  );
  const rows = resources
    .filter((r) => r.type === ENV_VAR)
    .map((r) => [r.name, r.inputs.key, r.inputs.targets, r.inputs.sensitive, r.secretInputs.includes("value")]);
  assert.deepEqual(rows, [
    ["wyn-web-GROQ_API_KEY-development", "GROQ_API_KEY", ["development"], false, true],
    ["wyn-web-GROQ_API_KEY-preview", "GROQ_API_KEY", ["preview"], true, true],
  ]);
});

test("a key written as a list gets one variable per entry, named by its targets", () => {
  const specs = vercelEnvSpecs(
    checkCatalog(
      catalog({
        NEXT_PUBLIC_SUPABASE_URL: [
          { value: "https://dev.supabase.co", targets: ["preview", "development"] },
          { value: "https://prod.supabase.co", targets: ["production"] },
        ],
      }),
    ).catalog,
  );
  assert.deepEqual(
    specs.map((s) => [s.name, s.targets, s.source, s.sensitive]),
    [
      ["wyn-web-NEXT_PUBLIC_SUPABASE_URL-production", ["production"], { value: "https://prod.supabase.co" }, false],
      [
        "wyn-web-NEXT_PUBLIC_SUPABASE_URL-preview-development",
        ["preview", "development"],
        { value: "https://dev.supabase.co" },
        false,
      ],
    ],
  );
});

test("a secret NEXT_PUBLIC_ variable is accepted with a warning naming it", () => {
  const { warnings } = checkCatalog(catalog({ NEXT_PUBLIC_MAPS_KEY: { secret: "mapsKey" } }));
  assert.deepEqual(warnings, [
    {
      path: "services[web].vercel.env.NEXT_PUBLIC_MAPS_KEY",
      message: "a NEXT_PUBLIC_* variable is inlined into the browser bundle: this secret ships to every visitor",
    },
  ]);
});

test("on a team enforcing sensitive variables every variable is sensitive, plain values too", () => {
  const specs = vercelEnvSpecs(
    checkCatalog(
      catalog({ APP_NAME: { value: "WYN" }, KEY: { secret: "k", targets: ["production"] } }, { sensitive: "always" }),
    ).catalog,
  );
  assert.deepEqual(
    specs.map((s) => [s.name, s.sensitive]),
    [
      ["wyn-web-APP_NAME", true],
      ["wyn-web-KEY", true],
    ],
  );
});

test("sensitive: false keeps a secret readable in Vercel; sensitive: true hides a plain value", () => {
  const specs = vercelEnvSpecs(
    checkCatalog(catalog({ A: { secret: "a", sensitive: false }, B: { value: "b", sensitive: true } })).catalog,
  );
  assert.deepEqual(
    specs.map((s) => [s.key, s.sensitive]),
    [
      ["A", false],
      ["B", true],
    ],
  );
});

test("a secret split over preview and development is one entry of the rotation report", () => {
  const specs = vercelEnvSpecs(
    checkCatalog(
      catalog({
        GROQ_API_KEY: {
          secret: "groqApiKey",
          targets: ["preview", "development"],
          rotate_every: "90d",
          rotated_at: "2026-10-01",
        },
      }),
    ).catalog,
  );
  assert.deepEqual(rotationReport(specs, "2026-11-26"), [
    {
      service: "web",
      project: "wyn-web",
      key: "GROQ_API_KEY",
      secret: "groqApiKey",
      rotateEvery: "90d",
      rotatedAt: "2026-10-01",
      due: "2026-12-30",
      daysLeft: 34,
      status: "ok",
    },
  ]);
});
