import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCatalogYaml } from "../../catalog/load";
import { CatalogError } from "../../catalog/diagnostics";
import { validateCatalog } from "../../catalog/validate";
import { githubActionsSpecs } from "../../env/github-actions";
import { PLACEHOLDER_SECRET_PREFIX, runProgramUnderMocks, type RegisteredResource } from "../../infra/offline-engine";
import { ROOT } from "../helpers/catalogs";

const SECRET = "github:index/actionsSecret:ActionsSecret";
const VARIABLE = "github:index/actionsVariable:ActionsVariable";

function prodRaw(): Record<string, unknown> {
  return parseCatalogYaml(readFileSync(join(ROOT, "Pulumi.prod.yaml"), "utf8"), "Pulumi.prod.yaml") as Record<
    string,
    unknown
  >;
}

function withGitHub(github: Record<string, unknown>): Record<string, unknown> {
  return { ...prodRaw(), github: { repository: "acme/prospectpro", ...github } };
}

function find(resources: RegisteredResource[], type: string, name: string): RegisteredResource {
  const r = resources.find((x) => x.type === type && (x.inputs.secretName === name || x.inputs.variableName === name));
  assert.ok(r, `no ${type} ${name}`);
  return r;
}

test("the deploy token becomes an Actions secret from the Grafana section's secret output", async () => {
  const { resources } = await runProgramUnderMocks(prodRaw(), "prod");
  const secret = find(resources, SECRET, "GRAFANA_DEPLOY_TOKEN");
  assert.equal(secret.name, "acme-prospectpro-secret-GRAFANA_DEPLOY_TOKEN");
  assert.equal(secret.inputs.repository, "prospectpro");
  assert.equal(secret.inputs.value, "[secret]");
  assert.deepEqual(secret.secretInputs, ["value"]);
  assert.equal(secret.inputs.plaintextValue, undefined, "the deprecated plaintextValue is not used");
  assert.ok(
    !JSON.stringify(resources).includes(PLACEHOLDER_SECRET_PREFIX),
    "a secret value reached the registered inputs",
  );
});

test("the Grafana URL becomes a plain Actions variable", async () => {
  const { resources } = await runProgramUnderMocks(prodRaw(), "prod");
  const variable = find(resources, VARIABLE, "GRAFANA_URL");
  assert.equal(variable.inputs.value, "https://prospectpro.grafana.net");
  assert.deepEqual(variable.secretInputs, []);
});

test("Actions resources use a provider scoped to the repository owner under one GitHubActionsConfig", async () => {
  const { resources } = await runProgramUnderMocks(prodRaw(), "prod");
  assert.ok(resources.some((r) => r.type === "pulumi:providers:github" && r.inputs.owner === "acme"));
  assert.ok(
    resources.some((r) => r.type === "ops-monitoring:index:GitHubActionsConfig" && r.name === "acme-prospectpro"),
  );
});

test("a secret no section produces is read from secret config, a variable from plain config", async () => {
  const { resources } = await runProgramUnderMocks(
    withGitHub({ secrets: { SENTRY_TOKEN: "sentryToken" }, variables: { REGION: "region" } }),
    "prod",
  );
  assert.deepEqual(find(resources, SECRET, "SENTRY_TOKEN").secretInputs, ["value"]);
  assert.equal(find(resources, VARIABLE, "REGION").inputs.value, "value-of-region");
});

test("a variable reading a secret is rejected when the catalog is validated, before anything is created", () => {
  assert.throws(
    () =>
      validateCatalog(
        withGitHub({ variables: { TOKEN: "grafana-deploy-token", HOOK: "slackWebhookUrl", URL: "grafana-url" } }),
      ),
    (e: unknown) =>
      e instanceof CatalogError &&
      e.diagnostics.map((d) => d.path).join(" ") === "github.variables.HOOK github.variables.TOKEN" &&
      /reads the secret slackWebhookUrl; a variable is plain text/.test(e.message),
  );
});

test("a variable reading a secret fails the Pulumi program too", async () => {
  await assert.rejects(
    runProgramUnderMocks(withGitHub({ variables: { TOKEN: "grafana-deploy-token" } }), "prod"),
    /github\.variables\.TOKEN: reads the secret/,
  );
});

test("specs list secrets then variables, each sorted by name", () => {
  const specs = githubActionsSpecs(
    validateCatalog(withGitHub({ secrets: { B: "b", A: "a" }, variables: { D: "d", C: "grafana-url" } })),
  );
  assert.deepEqual(
    specs.map((s) => `${s.kind} ${s.key}`),
    ["secret A", "secret B", "variable C", "variable D"],
  );
  assert.deepEqual(specs.find((s) => s.key === "C")!.source, { output: "grafana-url" });
  assert.deepEqual(specs.find((s) => s.key === "D")!.source, { config: "d" });
});
