import { test } from "node:test";
import assert from "node:assert/strict";
import { validateCatalog } from "../../catalog/validate";
import { readStackSettings, StackConfigError, type ConfigSource } from "../../infra/config";

const catalog = validateCatalog({
  system: "shop",
  grafana: { url: "https://shop.grafana.net" },
  runbooks: { base_url: "https://wiki.shop.example.com/runbooks" },
  services: [{ name: "web", kind: "frontend", health: { url: "https://shop.example.com/health" } }],
  alerting: { routes: { P0: ["slack"] }, contacts: { slack: { type: "slack", url: { secret: "slackWebhookUrl" } } } },
});

function source(plain: Record<string, string>, secret: Record<string, string> = {}): ConfigSource {
  const all = { ...plain, ...secret };
  return { get: (k) => all[k], isSecret: (k) => k in secret };
}

const good = () =>
  source(
    {
      "grafana:url": "https://shop.grafana.net",
      "grafana:smUrl": "https://sm.example.com",
      "ops-monitoring:prometheusDatasourceUid": "prom",
    },
    { "grafana:auth": "t", "grafana:smAccessToken": "t", "ops-monitoring:slackWebhookUrl": "u" },
  );

function problems(src: ConfigSource, stack = "prod"): string[] {
  try {
    readStackSettings(catalog, stack, src);
  } catch (e) {
    assert.ok(e instanceof StackConfigError);
    return e.problems;
  }
  return [];
}

test("a fully configured prod stack yields its Grafana settings and catalog secret names", () => {
  const settings = readStackSettings(catalog, "prod", good());
  assert.deepEqual(settings.grafana, {
    url: "https://shop.grafana.net",
    prometheusDatasourceUid: "prom",
    syntheticMonitoring: true,
  });
  assert.deepEqual(settings.secrets, ["slackWebhookUrl"]);
  assert.equal(settings.target, "prod");
});

test("every missing or plain-text key is reported at once with the command that fixes it", () => {
  const found = problems(source({ "grafana:auth": "plain", "ops-monitoring:slackWebhookUrl": "plain" }));
  assert.deepEqual(found, [
    "grafana:url is not set (the Grafana instance to provision): run `pulumi config set grafana:url https://shop.grafana.net`",
    "grafana:auth is set in plain text but must be a secret (a Grafana service account token with the Admin role): run `pulumi config set --secret grafana:auth <value>`",
    "ops-monitoring:prometheusDatasourceUid is not set (the Prometheus data source alert rules query): run `pulumi config set prometheusDatasourceUid grafanacloud-prom`",
    "grafana:smUrl is not set (the Synthetic Monitoring API of the services' health checks): run `pulumi config set grafana:smUrl https://synthetic-monitoring-api-<region>.grafana.net`",
    "grafana:smAccessToken is not set (the Synthetic Monitoring access token of the services' health checks): run `pulumi config set --secret grafana:smAccessToken <value>`",
    "ops-monitoring:slackWebhookUrl is set in plain text but must be a secret (referenced by the catalog as { secret: slackWebhookUrl }): run `pulumi config set --secret slackWebhookUrl <value>`",
  ]);
});

test("the error message names the stack and counts the problems", () => {
  assert.throws(
    () => readStackSettings(catalog, "prod", source({})),
    (e: Error) => /^stack prod: 6 configuration problems\n {2}grafana:url is not set/.test(e.message),
  );
});

test("a catalog without health checks needs no Synthetic Monitoring settings", () => {
  const noChecks = validateCatalog({
    system: "shop",
    grafana: { url: "https://g.example.com" },
    github: { repository: "acme/shop" },
  });
  const settings = readStackSettings(
    noChecks,
    "prod",
    source(
      { "grafana:url": "https://g.example.com", "ops-monitoring:prometheusDatasourceUid": "p" },
      { "grafana:auth": "t" },
    ),
  );
  assert.equal(settings.grafana?.syntheticMonitoring, false);
});

test("the local stack needs no Grafana Cloud settings but still refuses plain-text secrets", () => {
  assert.deepEqual(problems(source({}), "local"), []);
  assert.deepEqual(problems(source({ "ops-monitoring:slackWebhookUrl": "x" }), "local"), [
    "ops-monitoring:slackWebhookUrl is set in plain text but must be a secret: run `pulumi config set --secret slackWebhookUrl <value>`",
  ]);
});

test("the prod stack refuses a catalog whose runbook links would be relative", () => {
  const relative = validateCatalog({ system: "shop", services: [{ name: "api", kind: "api" }] });
  const src = source(
    { "grafana:url": "https://shop.grafana.net", "ops-monitoring:prometheusDatasourceUid": "prom" },
    { "grafana:auth": "t" },
  );
  assert.throws(
    () => readStackSettings(relative, "prod", src),
    (e: unknown) =>
      e instanceof StackConfigError &&
      JSON.stringify(e.problems) ===
        JSON.stringify([
          "the catalog sets neither runbooks.base_url nor github.repository: alerts' runbook_url links would be relative; set one of them",
        ]),
  );
  assert.doesNotThrow(() => readStackSettings(relative, "local", src));
});
