import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { parseCatalogYaml } from "../../catalog/load";
import { validateCatalog } from "../../catalog/validate";
import { OTEL_ENV } from "../../conventions";
import { PLACEHOLDER_SECRET_PREFIX, runProgramUnderMocks, type RegisteredResource } from "../../infra/offline-engine";
import { vercelEnvSpecs, type VercelEnvSpec } from "../../env/vercel-env";
import { VercelEnvironment } from "../../infra/vercel/environment";
import { ROOT } from "../helpers/catalogs";

const ENV_VAR = "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable";

function catalogWith(env: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return validateCatalog({
    system: "shop",
    telemetry: { otlp_endpoint: "https://otlp.example.com/otlp", otlp_headers: { secret: "otlpHeaders" } },
    services: [{ name: "web", kind: "frontend", vercel: { project: "shop-web", env } }],
    ...extra,
  });
}

function prodRaw(): unknown {
  return parseCatalogYaml(readFileSync(join(ROOT, "Pulumi.prod.yaml"), "utf8"), "Pulumi.prod.yaml");
}

function envVar(resources: RegisteredResource[], key: string): RegisteredResource {
  const found = resources.find((r) => r.type === ENV_VAR && r.inputs.key === key);
  assert.ok(found, `no Vercel env var ${key}`);
  return found;
}

test("a production-only key reaches only the production target", async () => {
  const { resources } = await runProgramUnderMocks(prodRaw(), "prod");
  assert.deepEqual(envVar(resources, "ANTHROPIC_API_KEY").inputs.targets, ["production"]);
  assert.deepEqual(envVar(resources, "HUNTER_API_KEY").inputs.targets, ["production", "preview"]);
  assert.deepEqual(envVar(resources, "NEXT_PUBLIC_APP_NAME").inputs.targets, ["production", "preview"]);
});

test("secret env vars are sensitive with a secret value, plain ones are not sensitive", async () => {
  const { resources } = await runProgramUnderMocks(prodRaw(), "prod");
  for (const key of ["ANTHROPIC_API_KEY", "HUNTER_API_KEY", OTEL_ENV.headers]) {
    const r = envVar(resources, key);
    assert.equal(r.inputs.sensitive, true, key);
    assert.ok(r.secretInputs.includes("value"), key);
  }
  for (const key of ["NEXT_PUBLIC_APP_NAME", OTEL_ENV.endpoint, OTEL_ENV.serviceName, OTEL_ENV.resourceAttributes]) {
    assert.equal(envVar(resources, key).inputs.sensitive, false, key);
  }
  assert.ok(
    !JSON.stringify(resources).includes(PLACEHOLDER_SECRET_PREFIX),
    "a secret value reached the registered inputs",
  );
});

test("env vars are named after project and key and attach to the project found by name", async () => {
  const { resources } = await runProgramUnderMocks(prodRaw(), "prod");
  const r = envVar(resources, "ANTHROPIC_API_KEY");
  assert.equal(r.name, "prospectpro-web-ANTHROPIC_API_KEY");
  assert.equal(r.inputs.projectId, "prj_mockprospectproweb");
  assert.ok(resources.some((x) => x.type === "ops-monitoring:index:VercelEnvironment" && x.name === "prospectpro-web"));
});

test("every Vercel project gets the OTLP variables of its service, production only", () => {
  const specs = vercelEnvSpecs(catalogWith({}, { environment: "staging" }));
  const byKey = Object.fromEntries(specs.map((s) => [s.key, s]));
  assert.deepEqual(Object.keys(byKey).sort(), Object.values(OTEL_ENV).sort());
  assert.deepEqual(byKey[OTEL_ENV.endpoint].source, { value: "https://otlp.example.com/otlp" });
  assert.deepEqual(byKey[OTEL_ENV.headers].source, { secret: "otlpHeaders" });
  assert.equal(byKey[OTEL_ENV.headers].sensitive, true);
  assert.deepEqual(byKey[OTEL_ENV.serviceName].source, { value: "web" });
  assert.deepEqual(byKey[OTEL_ENV.resourceAttributes].source, {
    value: "deployment.environment=staging,service.namespace=shop",
  });
  for (const s of specs) assert.deepEqual(s.targets, ["production"]);
});

test("a catalog entry overrides the generated OTLP variable of the same key", () => {
  const specs = vercelEnvSpecs(
    catalogWith({ OTEL_SERVICE_NAME: { value: "storefront", targets: ["production", "preview"] } }),
  );
  const name = specs.filter((s) => s.key === OTEL_ENV.serviceName);
  assert.equal(name.length, 1);
  assert.deepEqual(name[0].source, { value: "storefront" });
  assert.deepEqual(name[0].targets, ["production", "preview"]);
  assert.equal(name[0].origin, "catalog");
});

test("targets are listed in canonical order whatever the catalog's order", () => {
  const [spec] = vercelEnvSpecs(
    catalogWith({ A: { value: "1", targets: ["development", "preview", "production"] } }),
  ).filter((s) => s.key === "A");
  assert.deepEqual(spec.targets, ["production", "preview", "development"]);
});

test("a development-only secret is not sensitive, as Vercel requires", () => {
  const [spec] = vercelEnvSpecs(catalogWith({ DEV_KEY: { secret: "devKey", targets: ["development"] } })).filter(
    (s) => s.key === "DEV_KEY",
  );
  assert.equal(spec.sensitive, false);
  assert.deepEqual(spec.source, { secret: "devKey" });
});

test("the same project and key in two services is rejected when the catalog is validated", () => {
  const catalog = {
    system: "shop",
    services: [
      { name: "web", kind: "frontend", vercel: { project: "shop", env: { A: { value: "1" } } } },
      { name: "api", kind: "api", vercel: { project: "shop", env: { A: { value: "2" } } } },
    ],
  };
  assert.throws(
    () => validateCatalog(catalog),
    /services\[api\]\.vercel\.env\.A: Vercel project shop already gets A from service web/,
  );
});

interface Seen {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  deleteBeforeReplace?: boolean;
}

/** Builds one component under a mocked engine; records every resource with its options. */
async function underMocks(
  build: (opts: pulumi.ComponentResourceOptions) => VercelEnvironment,
): Promise<{ seen: Seen[]; component: VercelEnvironment; urns: string[] }> {
  const seen: Seen[] = [];
  const options = new Map<string, boolean | undefined>();
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        seen.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs as Record<string, unknown>,
          deleteBeforeReplace: options.get(args.name),
        });
        return { id: args.name, state: args.inputs as Record<string, unknown> };
      },
      call: (args) => ({ id: `prj_looked_up_${(args.inputs as { name: string }).name}` }),
    },
    "ops-monitoring",
    "prod",
    false,
  );
  const component = build({
    transformations: [
      (a) => {
        options.set(a.name, (a.opts as pulumi.CustomResourceOptions).deleteBeforeReplace);
        return undefined;
      },
    ],
  });
  const urns = await Promise.all(
    Object.values(component.variables).map((v) => new Promise<string>((resolve) => v.urn.apply(resolve))),
  );
  return { seen, component, urns };
}

const spec = (key: string, source: VercelEnvSpec["source"], project = "shop-web"): VercelEnvSpec => ({
  name: `${project}-${key}`,
  service: "web",
  project,
  key,
  targets: ["production"],
  sensitive: "secret" in source,
  source,
  origin: "catalog",
});

test("every env var is a child of its VercelEnvironment and is replaced delete-first", async () => {
  const { seen, urns } = await underMocks(
    (opts) =>
      new VercelEnvironment(
        "shop-web",
        {
          project: "shop-web",
          specs: [spec("A", { value: "x" }), spec("B", { secret: "b" })],
          secret: (n) => pulumi.secret(`value-of-${n}`),
        },
        opts,
      ),
  );
  const vars = seen.filter((s) => s.type === ENV_VAR);
  assert.equal(vars.length, 2);
  for (const v of vars) assert.equal(v.deleteBeforeReplace, true, v.name);
  for (const urn of urns)
    assert.match(
      urn,
      /ops-monitoring:index:VercelEnvironment\$vercel:index\/projectEnvironmentVariable:ProjectEnvironmentVariable::/,
    );
  assert.equal(vars.find((v) => v.inputs.key === "A")!.inputs.projectId, "prj_looked_up_shop-web");
});

test("a secret env var's value comes from the secret source and stays a Pulumi secret", async () => {
  const { seen } = await underMocks(
    (opts) =>
      new VercelEnvironment(
        "shop-web",
        { project: "shop-web", specs: [spec("B", { secret: "b" })], secret: (n) => pulumi.output(`value-of-${n}`) },
        opts,
      ),
  );
  const value = seen.find((s) => s.type === ENV_VAR)!.inputs.value as Record<string, unknown>;
  assert.equal(value[rpc.specialSigKey], rpc.specialSecretSig, "the value reaches the engine as a secret");
  assert.equal(value.value, "value-of-b");
});

test("a project given as a prj_ id is used as is, without a lookup", async () => {
  const { seen } = await underMocks(
    (opts) =>
      new VercelEnvironment(
        "prj_123",
        { project: "prj_123", specs: [spec("A", { value: "x" }, "prj_123")], secret: (n) => pulumi.secret(n) },
        opts,
      ),
  );
  assert.equal(seen.find((s) => s.type === ENV_VAR)!.inputs.projectId, "prj_123");
});
