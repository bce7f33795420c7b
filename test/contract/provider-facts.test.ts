/**
 * The offline engine refuses what the real providers refuse: every registered resource is
 * checked against infra/provider-facts.ts, whose facts were read from the providers' sources.
 * Defects are planted with Pulumi stack transformations, the way a program change would.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { MockRunFailure, runProgramUnderMocks } from "../../infra/offline-engine";
import { checkResource, PROVIDER_FACTS, ProviderFactsError } from "../../infra/provider-facts";
import { ROOT } from "../helpers/catalogs";
import { cli } from "../helpers/cli-in-process";

const plant = (name: string) => join(ROOT, "test/fixtures/transformations", `${name}.ts`);
const prodStack = () =>
  (parse(readFileSync(join(ROOT, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> }).config;

async function failure(name: string): Promise<MockRunFailure> {
  const stack = prodStack();
  return runProgramUnderMocks(stack["ops-monitoring:catalog"], "prod", {
    config: { "grafana:url": String(stack["grafana:url"]) },
    stackTransformations: [plant(name)],
  }).then(
    () => assert.fail(`the run with ${name} planted succeeded`),
    (e: unknown) => e as MockRunFailure,
  );
}

test("a planted notifier uid fails the run naming the contact point, the field and the provider source", async () => {
  const e = await failure("contact-uid");
  assert.ok(e instanceof MockRunFailure && e.cause instanceof ProviderFactsError, String(e));
  assert.match(
    e.message,
    /grafana:alerting\/contactPoint:ContactPoint "prospectpro-contact-email": emails\[0\]\.uid must not be set/,
  );
  assert.match(
    e.message,
    /grafana\/terraform-provider-grafana@v4\.45\.1 internal\/resources\/grafana\/resource_alerting_contact_point\.go \(commonNotifierResource/,
  );
});

test("a Synthetic Monitoring frequency of 2h fails the run with the provider's 1s..1h range", async () => {
  const e = await failure("sm-frequency");
  assert.ok(e.cause instanceof ProviderFactsError);
  assert.match(
    e.message,
    /grafana:syntheticMonitoring\/check:Check "[a-z-]+": frequency must be within 1000\.\.3600000 ms \(1s\.\.1h\)/,
  );
  assert.match(e.message, /internal\/resources\/syntheticmonitoring\/resource_check\.go \(schema frequency/);
});

test("a GitHub Actions secret named GITHUB_* fails the run citing github/util.go", async () => {
  const e = await failure("github-prefix");
  assert.ok(e.cause instanceof ProviderFactsError);
  assert.match(e.message, /github:index\/actionsSecret:ActionsSecret "[^"]+": secretName must not start with GITHUB_/);
  assert.match(
    e.message,
    /integrations\/terraform-provider-github@v6\.13\.0 github\/util\.go \(validateSecretNameFunc\)/,
  );
});

test("two resources of one type and name fail the run as pulumi preview's duplicate URN check would", async () => {
  const e = await failure("duplicate-folder");
  assert.ok(e.cause instanceof ProviderFactsError, String(e));
  assert.match(
    e.message,
    /grafana:oss\/folder:Folder "prospectpro-folder": \(resource\) is registered twice \(one type and name make one URN\) \[pulumi\/pulumi pkg\/diag\/errors\.go \(GetDuplicateResourceURNError\)\]/,
  );
});

test("plan refuses a catalog whose GitHub secret name starts with GITHUB_, naming it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "facts-"));
  try {
    const catalog = prodStack()["ops-monitoring:catalog"] as { github: { secrets: Record<string, string> } };
    catalog.github.secrets = { GITHUB_DEPLOY_TOKEN: "grafana-deploy-token" };
    writeFileSync(join(dir, "catalog.yaml"), JSON.stringify(catalog));
    const r = await cli(["plan", "--catalog", join(dir, "catalog.yaml"), "--stack", "prod"], { cwd: ROOT });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /GITHUB_DEPLOY_TOKEN/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const examples = [
  ...readdirSync(join(ROOT, "examples"))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => [`examples/${f}`, "prod"]),
  ["Pulumi.prod.yaml", "prod"],
  ["Pulumi.local.yaml", "local"],
];
for (const [catalog, stack] of examples) {
  test(`plan of ${catalog} on stack ${stack} passes every provider fact and registers its alert rules`, async () => {
    const r = await cli(["plan", "--catalog", catalog, "--stack", stack, "--json"], { cwd: ROOT });
    assert.equal(r.status, 0, r.stderr);
    const { resources } = JSON.parse(r.stdout) as { resources: Array<{ type: string }> };
    const rules = stack === "prod" ? "grafana:alerting/ruleGroup:RuleGroup" : "docker:index/container:Container";
    assert.ok(
      resources.some((x) => x.type === rules),
      `${catalog}: no ${rules}`,
    );
  });
}

test("a resource type of a checked provider without recorded facts is refused, so new resources bring their facts", () => {
  const [v] = checkResource("grafana:oss/team:Team", "t", { name: "x" });
  assert.match(v.says, /has no provider facts recorded/);
  assert.deepEqual(checkResource("ops-monitoring:index:GrafanaMonitoring", "c", {}), []);
});

test("facts hold for hand-written valid inputs and fail for hand-written invalid ones", () => {
  const group = {
    name: "acme-web",
    folderUid: "acme",
    intervalSeconds: 60,
    rules: [
      {
        name: "HighErrors (web/err)",
        uid: "acme-web-err",
        condition: "C",
        datas: [
          { refId: "A", datasourceUid: "prom", model: "{}", relativeTimeRange: { from: 600, to: 0 } },
          { refId: "C", datasourceUid: "__expr__", model: "{}", relativeTimeRange: { from: 0, to: 0 } },
        ],
      },
    ],
  };
  assert.deepEqual(checkResource("grafana:alerting/ruleGroup:RuleGroup", "g", group), []);
  const fields = (inputs: object) =>
    checkResource("grafana:alerting/ruleGroup:RuleGroup", "g", inputs as Record<string, unknown>).map((v) => v.field);
  assert.deepEqual(fields({ ...group, intervalSeconds: 45 }), ["intervalSeconds"]);
  assert.deepEqual(fields({ ...group, rules: [{ ...group.rules[0], uid: "x".repeat(41) }] }), ["rules[0].uid"]);
  assert.deepEqual(fields({ ...group, rules: [{ ...group.rules[0], uid: "acme web" }] }), ["rules[0].uid"]);
  assert.deepEqual(fields({ ...group, rules: [{ ...group.rules[0], condition: "B" }] }), ["rules[0]"]);
  assert.deepEqual(fields({ ...group, rules: [{ ...group.rules[0], record: { metric: "m", from: "A" } }] }), [
    "rules[0]",
  ]);
  const check = {
    job: "web-health",
    target: "https://x.example/health",
    probes: [1],
    settings: { http: { ipVersion: "V4" } },
    frequency: 60000,
    timeout: 5000,
  };
  assert.deepEqual(checkResource("grafana:syntheticMonitoring/check:Check", "c", check), []);
  assert.deepEqual(
    checkResource("grafana:syntheticMonitoring/check:Check", "c", { ...check, frequency: 10000, timeout: 15000 }).map(
      (v) => v.says,
    ),
    ["timeout must be within 1000 ms..min(frequency, 60000 ms)"],
  );
  const env = {
    key: "API_KEY",
    projectId: "prj_1",
    value: "v",
    sensitive: true,
    targets: ["production", "development"],
  };
  assert.deepEqual(
    checkResource("vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable", "e", env).map((v) => v.says),
    ["a variable targeting development must set sensitive: false"],
  );
  assert.deepEqual(
    checkResource("github:index/actionsVariable:ActionsVariable", "v", {
      repository: "r",
      variableName: "9LIVES",
      value: "x",
    }).map((v) => v.field),
    ["variableName"],
  );
});

test("every fact cites a repository, a ref or version, and a file", () => {
  let count = 0;
  for (const [type, facts] of Object.entries(PROVIDER_FACTS)) {
    for (const fact of facts) {
      count++;
      assert.ok(
        fact.source.repo.includes("/") && fact.source.ref && /\.go$/.test(fact.source.path),
        `${type} ${fact.path}`,
      );
    }
  }
  assert.ok(count >= 80, `${count} facts`);
});
