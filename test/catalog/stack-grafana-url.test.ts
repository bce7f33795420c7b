import { strict as assert } from "node:assert";
import { join } from "node:path";
import { test } from "node:test";
import { CatalogError } from "../../catalog/diagnostics";
import { loadCatalog, parseCatalogYaml } from "../../catalog/load";
import { runProgramUnderMocks } from "../../infra/offline-engine";
import { ROOT } from "../helpers/catalogs";

const stackFile = (catalogGrafana: string) => `config:
  grafana:url: https://shop.grafana.net/
  ops-monitoring:catalog:
    system: shop
${catalogGrafana}    services: [{ name: api, kind: api }]
`;

test("a stack file writes the Grafana URL once: the catalog's grafana.url is its grafana:url", () => {
  assert.equal(loadCatalog(join(ROOT, "Pulumi.prod.yaml")).catalog.grafanaUrl, "https://prospectpro.grafana.net");
  const raw = parseCatalogYaml(stackFile("    grafana: { version: '11.3' }\n"), "Pulumi.shop.yaml");
  assert.deepEqual((raw as { grafana: unknown }).grafana, { version: "11.3", url: "https://shop.grafana.net" });
});

test("a stack file writing grafana.url in its catalog as well is refused, naming both", () => {
  assert.throws(
    () => parseCatalogYaml(stackFile("    grafana: { url: https://shop.grafana.net }\n"), "Pulumi.shop.yaml"),
    (e: unknown) =>
      e instanceof CatalogError &&
      /Pulumi\.shop\.yaml: 1 problem\n {2}grafana\.url: the Grafana URL is written twice, here and as grafana:url/.test(
        e.message,
      ),
  );
});

test("the program takes the catalog's dashboard links from grafana:url, and refuses a catalog that also writes it", async () => {
  const catalog = {
    system: "shop",
    runbooks: { base_url: "https://runbooks.shop.example" },
    services: [{ name: "api", kind: "api", health: { url: "https://api.shop.example/health" } }],
  };
  const { resources } = await runProgramUnderMocks(catalog, "prod", {
    config: { "grafana:url": "https://shop.grafana.net" },
  });
  const rules = resources
    .filter((r) => r.type === "grafana:alerting/ruleGroup:RuleGroup")
    .flatMap((g) => g.inputs.rules as Array<{ annotations: Record<string, string> }>);
  const links = rules.flatMap((r) => (r.annotations.dashboard_url ? [r.annotations.dashboard_url] : []));
  assert.ok(links.length > 0 && links.every((l) => l.startsWith("https://shop.grafana.net/d/")), links.join(" "));

  await assert.rejects(
    runProgramUnderMocks({ ...catalog, grafana: { url: "https://other.grafana.net" } }, "prod", {
      config: {
        "ops-monitoring:catalog": JSON.stringify({ ...catalog, grafana: { url: "https://other.grafana.net" } }),
      },
    }),
    /the Grafana URL is written twice/,
  );
});
