import { test } from "node:test";
import { renderedAlerts, rulesOf } from "../helpers/rendered-alerts";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { ROOT } from "../helpers/catalogs";
import { cli } from "../helpers/cli-in-process";
import { validateCatalog } from "../../catalog/validate";
import { renderArtifacts } from "../../artifacts";
import { syntheticChecks } from "../../infra/grafana/checks";

const raw = {
  system: "kp",
  grafana: { url: "https://kp.grafana.net" },
  runbooks: { base_url: "https://kp.example.com/runbooks" },
  services: [
    {
      name: "web",
      kind: "frontend",
      health: [
        { url: "https://kitchenpantry.example.com/" },
        { url: "https://kitchenpantry.example.com/api/health", severity: "P1", every: "30s" },
      ],
    },
  ],
};

test("each check of a health list gets its own ProbeDown on its own instance, with its own severity", () => {
  const artifacts = renderArtifacts(validateCatalog(raw));
  const rules = renderedAlerts(rulesOf(artifacts["prometheus/rules/kp-alerts.yml"])).filter(
    (r) => r.alert === "ProbeDown",
  );
  const root = "https://kitchenpantry.example.com/";
  const api = "https://kitchenpantry.example.com/api/health";
  assert.deepEqual(
    rules.map((r) => [r.labels?.instance, r.labels?.severity]),
    [
      [root, "P0"],
      [api, "P1"],
    ],
  );
  assert.equal(
    rules[0].expr,
    `max(last_over_time(probe_success{job="web-health", instance="${root}"}[5m])) < 1 or (max(ALERTS{alertname="ProbeDown", alertstate="firing", service="web", severity="P0", instance="${root}", escalation=""}) and on () absent_over_time(probe_success{job="web-health", instance="${root}"}[5m]))`,
    "the hold reads this check's own ALERTS series",
  );
  assert.ok(
    rules[1].expr.startsWith(
      `(max(last_over_time(probe_success{job="web-health", instance="${api}"}[5m])) < 1) unless on () (alert:suppressing_condition:held{alert_id="web/probe/`,
    ),
    "the P1 check is suppressed while the P0 check's ProbeDown fires",
  );
  assert.ok(
    rules[1].expr.endsWith(
      `severity="P1", instance="${api}", escalation=""}) and on () absent_over_time(probe_success{job="web-health", instance="${api}"}[5m]))`,
    ),
  );
});

test("locally each check is a scrape job named after the check whose series carry the service's probe job", () => {
  const config = parse(renderArtifacts(validateCatalog(raw))["prometheus/prometheus.yml"]) as {
    scrape_configs: Array<{
      job_name: string;
      scrape_interval?: string;
      static_configs: Array<{ targets: string[] }>;
      relabel_configs?: unknown[];
    }>;
  };
  const probes = config.scrape_configs.filter((j) => j.job_name.startsWith("web-health"));
  assert.deepEqual(
    probes.map((j) => [j.job_name, j.scrape_interval, j.static_configs[0].targets[0], j.relabel_configs?.at(-1)]),
    [
      [
        "web-health-api-health",
        "30s",
        "https://kitchenpantry.example.com/api/health",
        { target_label: "job", replacement: "web-health" },
      ],
      [
        "web-health-root",
        "1m",
        "https://kitchenpantry.example.com/",
        { target_label: "job", replacement: "web-health" },
      ],
    ],
  );
});

test("in prod each check is a Synthetic Monitoring check of the service's job, named after the check", () => {
  const checks = syntheticChecks(validateCatalog(raw));
  assert.deepEqual(
    checks.map((c) => [c.name, c.job, c.target, c.frequency]),
    [
      ["kp-web-health-root", "web-health", "https://kitchenpantry.example.com/", 60_000],
      ["kp-web-health-api-health", "web-health", "https://kitchenpantry.example.com/api/health", 30_000],
    ],
  );
});

test("a single check keeps the names it always had", () => {
  const single = {
    ...raw,
    services: [{ name: "web", kind: "frontend", health: { url: "https://kitchenpantry.example.com/api/health" } }],
  };
  assert.deepEqual(
    syntheticChecks(validateCatalog(single)).map((c) => [c.name, c.job]),
    [["kp-web-health", "web-health"]],
  );
});

test("two checks with the same URL or the same derived name are refused, naming the check", () => {
  const dup = {
    system: "kp",
    services: [
      {
        name: "web",
        kind: "frontend",
        health: [
          { url: "https://a.example.com/health" },
          { url: "https://b.example.com/health" },
          { url: "https://a.example.com/health" },
        ],
      },
    ],
  };
  assert.throws(
    () => validateCatalog(dup),
    (e: unknown) =>
      (e as Error).message ===
      [
        "catalog: 2 problems",
        '  services[web].health[1].url: check name "health" is already used by health[0] (names default to the URL path); set a distinct name',
        "  services[web].health[2].url: https://a.example.com/health is already probed by health[0]",
      ].join("\n"),
  );
});

test("a problem in the second check of a list is reported at its index", () => {
  assert.throws(
    () =>
      validateCatalog({
        system: "kp",
        services: [
          {
            name: "web",
            kind: "frontend",
            health: [
              { url: "https://a.example.com/" },
              { url: "https://a.example.com/h", every: "5s", timeout: "10s" },
            ],
          },
        ],
      }),
    /services\[web\]\.health\[1\]\.timeout: 10s is longer than every \(5s\)/,
  );
});

test("verify passes for a health list: every check's generated alerts fire and stay quiet under real promtool, blackbox accepts its modules", async () => {
  const dir = mkdtempSync(join(tmpdir(), "health-list-"));
  try {
    writeFileSync(join(dir, "catalog.yaml"), stringify(raw));
    const r = await cli(["verify", "--catalog", join(dir, "catalog.yaml")], { cwd: ROOT });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /ok {3}promtool test rules/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
