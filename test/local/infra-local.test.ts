/** The `local` Pulumi stack under mocks: pinned images, configs uploaded from the rendered artifacts, no secret in plain text. */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { renderArtifacts } from "../../artifacts";
import { CATALOG_CONFIG_KEY } from "../../catalog/load";
import { validateCatalog } from "../../catalog/validate";
import { CONTAINER_RENDER_OPTIONS, containerSpecs, LOCAL_IMAGES } from "../../infra/local/specs";
import {
  PLACEHOLDER_SECRET_PREFIX,
  runProgramUnderMocks,
  SECRET_MARK,
  type RegisteredResource,
} from "../../infra/offline-engine";

const REPO = join(__dirname, "..", "..");
const localCatalog = (
  parse(readFileSync(join(REPO, "Pulumi.local.yaml"), "utf8")) as { config: Record<string, unknown> }
).config[CATALOG_CONFIG_KEY];

const withSecrets = {
  system: "acme",
  services: [
    { name: "web", kind: "frontend", health: { url: "https://acme.example/health" } },
    {
      name: "db",
      kind: "database",
      metrics: {
        scrape: {
          url: "https://db.example/metrics",
          username: "service_role",
          password: { secret: "supabaseServiceKey" },
        },
      },
    },
  ],
  alerting: { routes: { P0: ["slack"] }, contacts: { slack: { type: "slack", url: { secret: "slackWebhookUrl" } } } },
};

const byType = (resources: RegisteredResource[], type: string) => resources.filter((r) => r.type === type);
type Upload = { file: string; content: string; permissions?: string };

describe("local stack", () => {
  it("pulls every image by an explicit version tag", async () => {
    const { resources } = await runProgramUnderMocks(localCatalog, "local");
    const images = byType(resources, "docker:index/remoteImage:RemoteImage")
      .map((r) => r.inputs.name as string)
      .sort();
    assert.deepEqual(images, Object.values(LOCAL_IMAGES).sort());
    for (const image of images) assert.match(image, /^[a-z/-]+:v?\d+\.\d+\.\d+$/, `${image} is not pinned`);
    assert.match(LOCAL_IMAGES.prometheus, /:v2\./);
    assert.match(LOCAL_IMAGES.grafana, /:11\./);
  });

  it("uploads exactly the rendered artifacts into the containers, on one network, published on loopback only", async () => {
    const { resources } = await runProgramUnderMocks(localCatalog, "local");
    const artifacts = renderArtifacts(validateCatalog(localCatalog), { ...CONTAINER_RENDER_OPTIONS });
    const containers = Object.fromEntries(
      byType(resources, "docker:index/container:Container").map((r) => [r.name, r.inputs]),
    );
    assert.deepEqual(Object.keys(containers).sort(), [
      "localstack-alertmanager",
      "localstack-blackbox",
      "localstack-grafana",
      "localstack-prometheus",
    ]);
    const uploads = (name: string) =>
      Object.fromEntries((containers[name].uploads as Upload[]).map((u) => [u.file, u.content]));
    assert.equal(
      uploads("localstack-prometheus")["/etc/prometheus/prometheus.yml"],
      artifacts["prometheus/prometheus.yml"],
    );
    const ruleFiles = Object.keys(artifacts).filter((p) => p.startsWith("prometheus/rules/"));
    assert.ok(ruleFiles.length > 0);
    for (const p of ruleFiles)
      assert.equal(uploads("localstack-prometheus")[`/etc/prometheus/${p.slice("prometheus/".length)}`], artifacts[p]);
    assert.equal(
      uploads("localstack-alertmanager")["/etc/alertmanager/alertmanager.yml"],
      artifacts["alertmanager/alertmanager.yml"],
    );
    assert.equal(
      uploads("localstack-blackbox")["/etc/blackbox_exporter/config.yml"],
      artifacts["blackbox/blackbox.yml"],
    );
    for (const [name, inputs] of Object.entries(containers)) {
      assert.deepEqual(
        (inputs.ports as Array<{ ip: string }>).map((p) => p.ip),
        ["127.0.0.1"],
        name,
      );
      assert.deepEqual(
        (inputs.networksAdvanced as Array<{ name: string }>).map((n) => n.name),
        ["ops-monitoring-localstack"],
        name,
      );
    }
  });

  it("provisions the same folder and dashboards into the local Grafana", async () => {
    const { resources, outputs } = await runProgramUnderMocks(localCatalog, "local");
    assert.equal(byType(resources, "grafana:oss/folder:Folder").length, 1);
    assert.equal(byType(resources, "grafana:oss/dashboard:Dashboard").length, 7);
    const provider = byType(resources, "pulumi:providers:grafana");
    assert.deepEqual(
      provider.map((p) => p.inputs.url),
      ["http://127.0.0.1:3000"],
    );
    assert.equal(outputs["grafana-url"], "http://127.0.0.1:3000");
    assert.equal(
      byType(resources, "grafana:syntheticMonitoring/check:Check").length,
      0,
      "probes run in the blackbox container",
    );
  });

  it("never shows a secret: catalog secrets are uploaded as secret files, the Grafana password and auth are secret", async () => {
    const run = await runProgramUnderMocks(withSecrets, "local");
    assert.ok(!JSON.stringify(run).includes(PLACEHOLDER_SECRET_PREFIX), "a secret value reached the plan");
    const containers = Object.fromEntries(
      byType(run.resources, "docker:index/container:Container").map((r) => [r.name.replace("acme-", ""), r]),
    );
    assert.ok(containers.alertmanager.secretInputs.includes("uploads"));
    assert.ok(containers.prometheus.secretInputs.includes("uploads"));
    assert.equal(containers.grafana.inputs.envs, SECRET_MARK);
    assert.equal(byType(run.resources, "pulumi:providers:grafana")[0].inputs.auth, SECRET_MARK);
    const specs = Object.fromEntries(
      containerSpecs(renderArtifacts(validateCatalog(withSecrets), { ...CONTAINER_RENDER_OPTIONS })).map((s) => [
        s.component,
        s.secrets,
      ]),
    );
    assert.deepEqual(specs, {
      prometheus: ["supabaseServiceKey"],
      alertmanager: ["slackWebhookUrl"],
      blackbox: [],
      grafana: [],
    });
  });

  it("uploads configs the real promtool and amtool accept", () => {
    const dir = mkdtempSync(join(tmpdir(), "local-stack-"));
    try {
      for (const spec of containerSpecs(
        renderArtifacts(validateCatalog(localCatalog), { ...CONTAINER_RENDER_OPTIONS }),
      )) {
        for (const [file, content] of Object.entries(spec.files)) {
          mkdirSync(dirname(join(dir, file)), { recursive: true });
          writeFileSync(join(dir, file), content);
        }
      }
      for (const [tool, args] of [
        ["promtool", ["check", "config", join(dir, "etc/prometheus/prometheus.yml")]],
        ["amtool", ["check-config", join(dir, "etc/alertmanager/alertmanager.yml")]],
      ] as const) {
        const r = spawnSync(tool, args, { encoding: "utf8" });
        assert.equal(r.status, 0, `${tool}: ${r.stdout}${r.stderr}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
