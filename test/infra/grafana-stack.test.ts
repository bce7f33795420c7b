import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCatalogYaml } from "../../catalog/load";
import { formatDuration, parseDuration } from "../../catalog/units";
import { validateCatalog } from "../../catalog/validate";
import { DASHBOARDS, dashboardUid, folderUid } from "../../conventions";
import { canonicalJson } from "../../infra/grafana/canonical";
import { StackConfigError } from "../../infra/config";
import {
  MOCK_PROBES,
  MockRunFailure,
  PLACEHOLDER_SECRET_PREFIX,
  runProgramUnderMocks,
  type RegisteredResource,
} from "../../infra/offline-engine";
import { generateCatalog } from "../../bench/catalog";
import { GOOD, ROOT } from "../helpers/catalogs";

const T = {
  folder: "grafana:oss/folder:Folder",
  dashboard: "grafana:oss/dashboard:Dashboard",
  ruleGroup: "grafana:alerting/ruleGroup:RuleGroup",
  contactPoint: "grafana:alerting/contactPoint:ContactPoint",
  policy: "grafana:alerting/notificationPolicy:NotificationPolicy",
  muteTiming: "grafana:alerting/muteTiming:MuteTiming",
  check: "grafana:syntheticMonitoring/check:Check",
  serviceAccount: "grafana:oss/serviceAccount:ServiceAccount",
  token: "grafana:oss/serviceAccountToken:ServiceAccountToken",
};

const prodRaw = () => parseCatalogYaml(readFileSync(join(ROOT, "Pulumi.prod.yaml"), "utf8"), "Pulumi.prod.yaml");
const allKindsRaw = () => parseCatalogYaml(readFileSync(join(GOOD, "all-kinds", "catalog.yaml"), "utf8"), "all-kinds");
const ofType = (resources: RegisteredResource[], type: string) => resources.filter((r) => r.type === type);

function counts(resources: RegisteredResource[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of resources) if (r.type.startsWith("grafana:")) out[r.type] = (out[r.type] ?? 0) + 1;
  return out;
}

test("the prod catalog registers one folder, seven dashboards, a rule group per service and one policy", async () => {
  const { resources } = await runProgramUnderMocks(prodRaw(), "prod");
  const catalog = validateCatalog(prodRaw());
  const withHealth = catalog.services.filter((s) => s.health.length > 0).length;
  assert.deepEqual(counts(resources), {
    [T.contactPoint]: catalog.alerting.contacts.length,
    [T.muteTiming]: 1,
    [T.policy]: 1,
    // 8 services, 3 external APIs, budget, monitoring (Watchdog) and the shared recording rules.
    [T.ruleGroup]: 8 + 3 + 3,
    [T.dashboard]: Object.keys(DASHBOARDS).length,
    [T.folder]: 1,
    [T.serviceAccount]: 1,
    [T.token]: 1,
    [T.check]: withHealth,
  });
});

test("folders, dashboards and rules carry explicit uids derived from catalog names; contact points are identified by name", async () => {
  const { resources } = await runProgramUnderMocks(prodRaw(), "prod");
  assert.equal(ofType(resources, T.folder)[0].inputs.uid, folderUid("prospectpro"));
  const dashboardUids = ofType(resources, T.dashboard)
    .map((d) => (JSON.parse(String(d.inputs.configJson)) as { uid: string }).uid)
    .sort();
  assert.deepEqual(
    dashboardUids,
    Object.keys(DASHBOARDS)
      .map((k) => dashboardUid("prospectpro", k as keyof typeof DASHBOARDS))
      .sort(),
  );
  for (const d of ofType(resources, T.dashboard)) assert.equal(d.inputs.folder, "prospectpro");
  for (const g of ofType(resources, T.ruleGroup)) {
    assert.equal(g.inputs.folderUid, "prospectpro");
    for (const rule of g.inputs.rules as Array<{ uid?: string }>)
      assert.match(rule.uid ?? "", /^prospectpro-[a-z0-9-]+$/);
  }
  const email = ofType(resources, T.contactPoint).find((c) => c.name === "prospectpro-contact-email")!;
  assert.equal(email.inputs.name, "prospectpro-email");
  assert.ok(!("uid" in (email.inputs.emails as Array<Record<string, unknown>>)[0]));
});

test("contact point secrets and the deploy token are Pulumi secrets and no placeholder value leaks", async () => {
  const run = await runProgramUnderMocks(prodRaw(), "prod");
  const contact = (name: string) =>
    ofType(run.resources, T.contactPoint).find((c) => c.name === `prospectpro-contact-${name}`)!;
  assert.deepEqual(contact("pagerduty").secretInputs, ["pagerduties"]);
  assert.deepEqual(contact("slack").secretInputs, ["slacks"]);
  assert.deepEqual(contact("email").secretInputs, []);
  assert.ok(run.secretOutputs.includes("grafana-deploy-token"));
  assert.equal(run.outputs["grafana-deploy-token"], "[secret]");
  assert.ok(!JSON.stringify(run).includes(PLACEHOLDER_SECRET_PREFIX));
});

test("synthetic checks probe each health URL with its expectations, in milliseconds, on the named probes", async () => {
  const { resources } = await runProgramUnderMocks(prodRaw(), "prod");
  const web = ofType(resources, T.check).find((c) => c.inputs.job === "web-health")!;
  assert.equal(web.inputs.target, "https://prospectpro.app/api/health");
  assert.equal(web.inputs.frequency, 120_000);
  assert.equal(web.inputs.timeout, 10_000);
  assert.deepEqual(
    web.inputs.probes,
    ["Frankfurt", "London", "NorthVirginia"].map((n) => MOCK_PROBES[n]).sort((a, b) => a - b),
  );
  assert.deepEqual(web.inputs.settings, {
    http: {
      failIfBodyNotMatchesRegexps: ['"status":"(ok|healthy)"'],
      failIfNotSsl: true,
      ipVersion: "V4",
      method: "GET",
      noFollowRedirects: false,
      validStatusCodes: [200],
    },
  });
  for (const c of ofType(resources, T.check)) {
    const { frequency, timeout } = c.inputs as { frequency: number; timeout: number };
    assert.ok(frequency >= 1000 && frequency <= 3_600_000 && timeout <= frequency && timeout <= 60_000, c.name);
  }
});

test("a private probe the Synthetic Monitoring stack does not have fails the run naming the service", async () => {
  const raw = allKindsRaw() as { synthetics?: unknown };
  await assert.rejects(
    runProgramUnderMocks({ ...raw, synthetics: { probes: ["Atlantis"], private_probes: ["Atlantis"] } }, "prod", {
      probes: { ...MOCK_PROBES },
    }),
    (e: unknown) =>
      e instanceof MockRunFailure && /health\.probes: unknown Synthetic Monitoring probe Atlantis/.test(e.message),
  );
});

test("registered inputs are in Grafana's canonical form: durations, dashboards without id or version", async () => {
  const { resources } = await runProgramUnderMocks(allKindsRaw(), "prod");
  const canonical = (d: string) => formatDuration(parseDuration(d)!);
  for (const g of ofType(resources, T.ruleGroup)) {
    for (const rule of g.inputs.rules as Array<{ for?: string; datas: Array<{ model: string }> }>) {
      if (rule.for !== undefined) assert.equal(rule.for, canonical(rule.for));
      for (const d of rule.datas) assert.equal(d.model, canonicalJson(JSON.parse(d.model)));
    }
  }
  for (const d of ofType(resources, T.dashboard)) {
    const json = JSON.parse(String(d.inputs.configJson)) as Record<string, unknown>;
    assert.ok(!("id" in json) && !("version" in json), d.name);
    assert.equal(d.inputs.configJson, canonicalJson(json));
    assert.equal(d.inputs.overwrite, true);
  }
  const policy = ofType(resources, T.policy)[0].inputs as {
    groupWait: string;
    groupInterval: string;
    repeatInterval: string;
    policies: Array<{ repeatInterval?: string }>;
  };
  for (const d of [
    policy.groupWait,
    policy.groupInterval,
    policy.repeatInterval,
    ...policy.policies.flatMap((p) => p.repeatInterval ?? []),
  ])
    assert.equal(d, canonical(d));
});

test("running the program twice registers identical inputs, so a second up changes nothing", async () => {
  const first = await runProgramUnderMocks(allKindsRaw(), "prod");
  const second = await runProgramUnderMocks(allKindsRaw(), "prod");
  assert.deepEqual(second.resources, first.resources);
  assert.deepEqual(second.outputs, first.outputs);
});

test("reordering services and rules keeps every rule uid and title", async () => {
  const raw = allKindsRaw() as { services: unknown[]; rules: unknown[] };
  const uids = (resources: RegisteredResource[]) =>
    ofType(resources, T.ruleGroup)
      .flatMap((g) => (g.inputs.rules as Array<{ uid: string; name: string }>).map((r) => `${r.uid} ${r.name}`))
      .sort();
  const before = await runProgramUnderMocks(raw, "prod");
  const after = await runProgramUnderMocks(
    { ...raw, services: [...raw.services].reverse(), rules: [...raw.rules].reverse() },
    "prod",
  );
  assert.deepEqual(uids(after.resources), uids(before.resources));
});

test("bad provider config fails with one error naming every key before any resource is registered", async () => {
  const failure = await runProgramUnderMocks(prodRaw(), "prod", {
    config: { "grafana:url": null, "grafana:smAccessToken": "plain-token", "ops-monitoring:slackWebhookUrl": null },
  }).then(
    () => assert.fail("the run succeeded"),
    (e: unknown) => e as MockRunFailure,
  );
  assert.ok(failure instanceof MockRunFailure && failure.cause instanceof StackConfigError);
  assert.equal(failure.resources.length, 0);
  assert.match(failure.message, /3 configuration problems/);
  assert.match(failure.message, /grafana:url is not set .*pulumi config set grafana:url/);
  assert.match(
    failure.message,
    /grafana:smAccessToken is set in plain text but must be a secret .*pulumi config set --secret grafana:smAccessToken/,
  );
  assert.match(
    failure.message,
    /ops-monitoring:slackWebhookUrl is not set .*pulumi config set --secret slackWebhookUrl/,
  );
  assert.ok(!failure.message.includes("plain-token"));
});

test("an invalid catalog fails with the catalog's diagnostics before any resource is registered", async () => {
  const failure = await runProgramUnderMocks(
    { system: "Bad System", services: [{ name: "web", kind: "mainframe" }] },
    "prod",
  ).then(
    () => assert.fail("the run succeeded"),
    (e: unknown) => e as MockRunFailure,
  );
  assert.equal(failure.resources.length, 0);
  assert.match(failure.message, /ops-monitoring:catalog \(Pulumi\.prod\.yaml\): 2 problems/);
  assert.match(failure.message, /services\[web\]\.kind/);
});

test("the local stack registers no Grafana Cloud alerting, synthetic checks, Vercel or GitHub resources", async () => {
  const { resources } = await runProgramUnderMocks(prodRaw(), "local");
  const cloudOnly = [T.ruleGroup, T.contactPoint, T.policy, T.check, T.serviceAccount];
  assert.deepEqual(
    resources.filter((r) => cloudOnly.includes(r.type) || /^(vercel|github):/.test(r.type)).map((r) => r.type),
    [],
  );
});

test("the resource count grows by at most 8 per service", async () => {
  const size = async (n: number) => (await runProgramUnderMocks(generateCatalog(n), "prod")).resources.length;
  const [ten, hundred] = [await size(10), await size(100)];
  const perService = (hundred - ten) / 90;
  assert.ok(perService <= 8, `${perService} resources per service`);
  assert.ok(hundred <= 8 * 100 + (ten - 8 * 10 > 0 ? ten - 8 * 10 : 0) + 60, `${hundred} resources for 100 services`);
});

test("every dashboard's data source variable defaults to the Prometheus the alert rules query, not the org's default", async () => {
  const { resources } = await runProgramUnderMocks(allKindsRaw(), "prod", {
    config: { "ops-monitoring:prometheusDatasourceUid": "prod-prom-7" },
  });
  const queried = new Set(
    ofType(resources, T.ruleGroup).flatMap((g) =>
      (g.inputs.rules as Array<{ datas: Array<{ refId: string; datasourceUid: string }> }>).flatMap((r) =>
        r.datas.filter((d) => d.refId === "A").map((d) => d.datasourceUid),
      ),
    ),
  );
  assert.ok(queried.has("prod-prom-7"), [...queried].join(" "));
  for (const d of ofType(resources, T.dashboard)) {
    const json = JSON.parse(String(d.inputs.configJson)) as {
      templating: { list: Array<{ name: string; type: string; current?: unknown }> };
    };
    const variable = json.templating.list.find((v) => v.type === "datasource");
    assert.deepEqual(variable?.current, { text: "prod-prom-7", value: "prod-prom-7" }, d.name);
  }
});
