import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { parse, stringify } from "yaml";
import { loadCatalogFile, parseCatalogYaml } from "../catalog/load";
import { validateCatalog } from "../catalog/validate";
import { renderArtifacts, ruleGroupsOf } from "../artifacts";
import { renderRuleFiles } from "../alerts/rule-files";
import { secretEnvName } from "../conventions";
import { GOOD, exampleCatalogs } from "./helpers/catalogs";

/** Every file under a directory, relative path → content. */
function readTree(dir: string, base = dir): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(out, readTree(path, base));
    else out[relative(base, path)] = readFileSync(path, "utf8");
  }
  return out;
}

for (const name of readdirSync(GOOD).sort()) {
  test(`the good catalog "${name}" renders exactly its golden artifacts`, () => {
    const expectedDir = join(GOOD, name, "expected");
    const actual = renderArtifacts(loadCatalogFile(join(GOOD, name, "catalog.yaml")));
    if (process.env.UPDATE_GOLDEN) {
      rmSync(expectedDir, { recursive: true, force: true });
      for (const [path, content] of Object.entries(actual)) {
        mkdirSync(dirname(join(expectedDir, path)), { recursive: true });
        writeFileSync(join(expectedDir, path), content);
      }
    }
    assert.ok(existsSync(expectedDir), `no golden files; run UPDATE_GOLDEN=1 npm test and review ${expectedDir}`);
    const expected = readTree(expectedDir);
    assert.deepEqual(Object.keys(actual), Object.keys(expected).sort());
    for (const path of Object.keys(expected))
      assert.equal(actual[path], expected[path], `${name}/${path} differs from its golden file`);
  });
}

test("rule files rendered from a model without the alerts' generated tests and detection models are the same", () => {
  for (const file of [join(GOOD, "all-kinds", "catalog.yaml"), ...exampleCatalogs()]) {
    const catalog = loadCatalogFile(file);
    for (const profile of ["prod", "local"] as const) {
      const lean = ruleGroupsOf(catalog, { customRules: {}, profile, checks: false });
      const full = ruleGroupsOf(catalog, { customRules: {}, profile });
      const alerts = (groups: typeof full) => groups.flatMap((g) => g.rules).filter((r) => r.kind === "alert");
      assert.ok(
        alerts(full).some((r) => r.test && r.detection),
        `${file}: the full model has tests`,
      );
      assert.ok(
        alerts(lean).every((r) => !r.test && !r.detection),
        `${file}: the lean model has none`,
      );
      assert.deepEqual(renderRuleFiles(catalog.system, lean), renderRuleFiles(catalog.system, full), file);
    }
  }
});

test("rendering the same catalog twice gives byte-identical artifacts", () => {
  for (const file of exampleCatalogs()) {
    const catalog = loadCatalogFile(file);
    assert.deepEqual(renderArtifacts(catalog), renderArtifacts(loadCatalogFile(file)), file);
  }
});

test("reordering services, APIs, contacts and routes changes no artifact", () => {
  const file = join(GOOD, "all-kinds", "catalog.yaml");
  const raw = parseCatalogYaml(readFileSync(file, "utf8"), file) as {
    services: unknown[];
    external_apis: unknown[];
    alerting: { contacts: Record<string, unknown>; routes: Record<string, unknown> };
  };
  const shuffled = structuredClone(raw);
  shuffled.services.reverse();
  shuffled.external_apis.reverse();
  shuffled.alerting.contacts = Object.fromEntries(Object.entries(shuffled.alerting.contacts).reverse());
  shuffled.alerting.routes = Object.fromEntries(Object.entries(shuffled.alerting.routes).reverse());
  const a = renderArtifacts(validateCatalog(raw));
  const b = renderArtifacts(validateCatalog(parse(stringify(shuffled))));
  for (const path of Object.keys(a)) {
    if (path === "dashboards/overview.json") continue;
    assert.equal(b[path], a[path], path);
  }
});

test("no secret value from the environment appears in any rendered file", () => {
  const file = join(GOOD, "all-kinds", "catalog.yaml");
  const secrets = ["pagerdutyKey", "slackWebhookUrl", "smtpPassword", "supabaseServiceRoleKey", "anthropicApiKey"];
  const saved = new Map(secrets.map((s) => [secretEnvName(s), process.env[secretEnvName(s)]]));
  try {
    for (const s of secrets) process.env[secretEnvName(s)] = `SECRET-VALUE-${s}-d41d8cd9`;
    const artifacts = renderArtifacts(loadCatalogFile(file));
    for (const [path, content] of Object.entries(artifacts)) assert.doesNotMatch(content, /SECRET-VALUE-/, path);
    const am = artifacts["alertmanager/alertmanager.yml"];
    assert.match(am, /routing_key_file: \/etc\/ops-monitoring\/secrets\/pagerdutyKey/);
    assert.match(am, /api_url_file: \/etc\/ops-monitoring\/secrets\/slackWebhookUrl/);
    assert.match(
      artifacts["prometheus/prometheus.yml"],
      /password_file: \/etc\/ops-monitoring\/secrets\/supabaseServiceRoleKey/,
    );
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});
