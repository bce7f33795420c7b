import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadCatalogFile, parseCatalogYaml } from "../../catalog/load";
import { generateRuleGroups } from "../../alerts/generate";
import { CatalogError } from "../../catalog/diagnostics";
import { validateCatalog } from "../../catalog/validate";

const BAD = join(__dirname, "..", "fixtures", "bad");

for (const name of readdirSync(BAD).sort()) {
  test(`the bad catalog "${name}" is rejected with every problem named by service and field`, () => {
    const expected = readFileSync(join(BAD, name, "expected-errors.txt"), "utf8")
      .trimEnd()
      .split("\n");
    const err = (() => {
      try {
        loadCatalogFile(join(BAD, name, "catalog.yaml"));
      } catch (e) {
        return e;
      }
      assert.fail("the catalog was accepted");
    })();
    assert.ok(err instanceof CatalogError, `expected a CatalogError, got ${String(err)}`);
    const lines = err.message.split("\n");
    assert.match(lines[0], new RegExp(`${expected.length} problems?$`));
    assert.deepEqual(lines.slice(1), expected);
  });
}

test("an unknown service kind is reported with the allowed kinds", () => {
  assert.throws(
    () => validateCatalog({ system: "shop", services: [{ name: "checkout", kind: "mainframe" }] }),
    /services\[checkout\]\.kind: "mainframe" is not one of frontend \| api \| edge-function \| database \| job \| llm \| external-api/,
  );
});

test("severity aliases SEV1..SEV4 and critical..low normalize to P0..P3", () => {
  const c = validateCatalog({
    system: "shop",
    services: [
      { name: "api", kind: "api", thresholds: { error_rate: { SEV1: "50%", high: "10%", sev3: "5%", Low: "1%" } } },
    ],
    alerting: {
      routes: { critical: ["pd"], SEV2: ["pd"], medium: [], p3: [] },
      contacts: { pd: { type: "pagerduty", integration_key: { secret: "pdKey" } } },
    },
  });
  assert.deepEqual(
    c.services[0].thresholds.map((t) => [t.severity, t.display]),
    [
      ["P0", "50%"],
      ["P1", "10%"],
      ["P2", "5%"],
      ["P3", "1%"],
    ],
  );
  assert.deepEqual(c.alerting.routes, { P0: ["pd"], P1: ["pd"], P2: [], P3: [] });
});

test("defaults are applied: team, selector, health timing, SLO window and ack timeout", () => {
  const c = validateCatalog({
    system: "shop",
    services: [
      {
        name: "web",
        kind: "frontend",
        health: { url: "https://shop.example/health" },
        slos: [{ name: "a", sli: "availability", objective: 99.5 }],
      },
    ],
  });
  const web = c.services[0];
  assert.equal(web.team, "ops");
  assert.equal(web.metrics.selector, 'job="web"');
  assert.equal(web.metrics.errors, 'http_response_status_code=~"5.."');
  assert.deepEqual(
    [web.health[0].everyMs, web.health[0].timeoutMs, web.health[0].expectStatus],
    [60_000, 5_000, [200]],
  );
  assert.equal(web.health[0].tlsExpiryMs, 14 * 86400_000);
  assert.equal(web.slos[0].windowMs, 30 * 86400_000);
  assert.equal(web.slos[0].objective, 0.995);
  assert.equal(c.alerting.ackTimeoutMs, 5 * 60_000);
});

test("a catalog that is not a mapping gets one clear problem, not a stack trace", () => {
  assert.throws(() => validateCatalog("just a string"), /the catalog must be a mapping/);
});

test("the catalog inside a Pulumi stack file is read from ops-monitoring:catalog", () => {
  const c = loadCatalogFile(join(__dirname, "..", "..", "Pulumi.prod.yaml"));
  assert.equal(c.system, "prospectpro");
  assert.ok(c.services.length >= 6);
});

test("YAML merge keys (<<) work in catalogs and hand-written rule files, later keys overriding merged ones", () => {
  const raw = parseCatalogYaml(
    [
      "system: shop",
      "services:",
      "  - &svc { name: api, kind: api, team: growth, slos: [{ name: avail, sli: availability, objective: 99.5 }] }",
      "  - <<: *svc",
      "    name: web",
      "    kind: frontend",
    ].join("\n"),
    "merge.yaml",
  );
  const web = validateCatalog(raw).services.find((s) => s.name === "web")!;
  assert.equal(web.kind, "frontend");
  assert.equal(web.team, "growth");
  assert.deepEqual(
    web.slos.map((s) => s.name),
    ["avail"],
  );
  const groups = generateRuleGroups(validateCatalog(raw), {
    customRules: {
      "m.yml": [
        "groups:",
        "  - name: merged",
        "    rules:",
        "      - { alert: A, expr: up == 0, labels: &labels { service: api, severity: P2 } }",
        "      - { alert: B, expr: up == 0, labels: { <<: *labels, severity: P1 } }",
      ].join("\n"),
    },
  });
  const b = groups
    .find((g) => g.name === "shop-custom-merged")!
    .rules.find((r) => r.kind === "alert" && r.alert === "B");
  assert.equal(b?.labels.service, "api");
  assert.equal(b?.labels.severity, "P1");
});

test("a size quota read from a database must name a kind: database service", () => {
  assert.throws(
    () =>
      validateCatalog({
        system: "shop",
        services: [{ name: "api", kind: "api" }],
        external_apis: [{ name: "supabase", sizes: [{ resource: "database", limit: "500MB", database: "api" }] }],
      }),
    (e: unknown) =>
      e instanceof CatalogError &&
      /external_apis\[supabase\]\.sizes\[0\]\.database: "api" is not a kind: database service of this catalog/.test(
        e.message,
      ),
  );
});
