/**
 * Probe and scrape credentials come only from secret slots: rendered as `*_file` paths
 * locally (accepted by the real blackbox exporter and promtool), and as secret inputs of the
 * Synthetic Monitoring check in prod; never a value in any file or plan.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { renderArtifacts } from "../../artifacts";
import { validateCatalog } from "../../catalog/validate";
import { CONTAINER_RENDER_OPTIONS, containerSpecs } from "../../infra/local/specs";
import { PLACEHOLDER_SECRET_PREFIX, runProgramUnderMocks } from "../../infra/offline-engine";
import { findBinary, runTool } from "../../verify/tools";

const LINKS = {
  grafana: { url: "https://grafana.shop.example" },
  runbooks: { base_url: "https://wiki.shop.example/runbooks" },
};

const raw = {
  system: "shop",
  ...LINKS,
  services: [
    {
      name: "web",
      kind: "frontend",
      health: {
        url: "https://shop.example/health",
        auth: { username: "prober", password: { secret: "healthPassword" } },
      },
    },
    {
      name: "api",
      kind: "api",
      health: { url: "https://api.shop.example/health", auth: { bearer: { secret: "healthToken" } } },
      metrics: { scrape: { url: "https://api.shop.example/metrics", bearer: { secret: "metricsToken" } } },
    },
  ],
};

test("probe auth renders as blackbox basic_auth.password_file and authorization.credentials_file, scrape bearer as credentials_file", () => {
  const files = renderArtifacts(validateCatalog(raw), { secretsDir: "/run/secrets" });
  const modules = Object.values(
    (parse(files["blackbox/blackbox.yml"]) as { modules: Record<string, { http: Record<string, unknown> }> }).modules,
  );
  assert.deepEqual(
    modules
      .map((m) => m.http.basic_auth ?? m.http.authorization)
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    [
      { type: "Bearer", credentials_file: "/run/secrets/healthToken" },
      { username: "prober", password_file: "/run/secrets/healthPassword" },
    ],
  );
  const scrape = (
    parse(files["prometheus/prometheus.yml"]) as { scrape_configs: Array<Record<string, unknown>> }
  ).scrape_configs.find((j) => j.job_name === "api");
  assert.deepEqual(scrape?.authorization, { type: "Bearer", credentials_file: "/run/secrets/metricsToken" });
});

test("the real blackbox exporter and promtool accept the rendered auth", () => {
  const promtool = findBinary("promtool");
  const blackbox = findBinary("blackbox");
  assert.ok(promtool && blackbox, "promtool and the blackbox exporter must be installed");
  const dir = mkdtempSync(join(tmpdir(), "hostile-auth-"));
  try {
    const secretsDir = join(dir, "secrets");
    mkdirSync(secretsDir);
    for (const s of ["healthPassword", "healthToken", "metricsToken"]) writeFileSync(join(secretsDir, s), "x\n");
    for (const [path, text] of Object.entries(renderArtifacts(validateCatalog(raw), { secretsDir }))) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const bb = runTool(blackbox, ["--config.check", "--config.file", "blackbox/blackbox.yml"], dir);
    assert.ok(bb.ok, bb.output);
    const prom = runTool(promtool, ["check", "config", "prometheus/prometheus.yml"], dir);
    assert.ok(prom.ok, prom.output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the local blackbox container receives the probe secrets it reads", () => {
  const specs = containerSpecs(renderArtifacts(validateCatalog(raw), CONTAINER_RENDER_OPTIONS));
  assert.deepEqual(specs.find((s) => s.component === "blackbox")?.secrets, ["healthPassword", "healthToken"]);
  assert.deepEqual(specs.find((s) => s.component === "prometheus")?.secrets, ["metricsToken"]);
});

test("Synthetic Monitoring checks carry probe credentials only as secret inputs", async () => {
  const { resources } = await runProgramUnderMocks(raw, "prod");
  const checks = resources.filter((r) => r.type === "grafana:syntheticMonitoring/check:Check");
  assert.equal(checks.length, 2);
  for (const c of checks) {
    assert.ok(c.secretInputs.includes("settings"), `${c.name}: settings are secret`);
    assert.equal(c.inputs.settings, "[secret]");
  }
  assert.doesNotMatch(
    JSON.stringify(resources),
    new RegExp(PLACEHOLDER_SECRET_PREFIX.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")),
  );
});

test("a probe without auth keeps its settings in plain view", async () => {
  const { resources } = await runProgramUnderMocks(
    {
      system: "shop",
      ...LINKS,
      services: [{ name: "web", kind: "frontend", health: { url: "https://shop.example/health" } }],
    },
    "prod",
  );
  const check = resources.find((r) => r.type === "grafana:syntheticMonitoring/check:Check");
  assert.ok(check && !check.secretInputs.includes("settings"));
  assert.equal((check.inputs.settings as { http: { method: string } }).http.method, "GET");
});
