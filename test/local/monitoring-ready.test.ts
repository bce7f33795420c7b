import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { renderArtifacts } from "../../artifacts";
import { loadDemoCatalog } from "../../local/demo-catalog";
import {
  expectedTargets,
  notYetMonitoring,
  type RulesResponse,
  type TargetsResponse,
} from "../../local/monitoring-ready";

/** Go's zero time, which Prometheus' API reports before a first scrape or evaluation. */
const NEVER = "0001-01-01T00:00:00Z";

/** `/api/v1/targets?state=any` as Prometheus answers it (fields beyond those read trimmed). */
const targets = (health: Record<string, string[]>, dropped: string[] = []): TargetsResponse => ({
  data: {
    activeTargets: Object.entries(health).flatMap(([scrapePool, hs]) => hs.map((h) => ({ scrapePool, health: h }))),
    droppedTargets: dropped.map((job) => ({ discoveredLabels: { __address__: "x:1", job } })),
  },
});
const rules = (evaluated: Record<string, string>): RulesResponse => ({
  data: { groups: Object.entries(evaluated).map(([name, lastEvaluation]) => ({ name, lastEvaluation })) },
});

describe("when local mode is monitoring", () => {
  it("counts the static targets of each scrape job of a rendered configuration", () => {
    const yml = [
      "scrape_configs:",
      "  - job_name: web",
      "    static_configs:",
      "      - targets: ['a:1', 'b:1']",
      "      - targets: ['c:1']",
      "  - job_name: web-health",
      "    static_configs:",
      "      - targets: ['http://a/health']",
      "  - job_name: empty",
    ].join("\n");
    assert.deepEqual(
      [...expectedTargets(yml)],
      [
        ["web", 3],
        ["web-health", 1],
        ["empty", 0],
      ],
    );
  });

  it("expects every job the demo catalog renders, one target each", () => {
    const catalog = loadDemoCatalog({ demoApp: "http://127.0.0.1:1", sink: "http://127.0.0.1:2/" });
    const yml = renderArtifacts(catalog, { profile: "local" })["prometheus/prometheus.yml"];
    assert.deepEqual(Object.fromEntries(expectedTargets(yml)), {
      api: 1,
      assistant: 1,
      db: 1,
      "monitoring-alertmanager": 1,
      refresh: 1,
      web: 1,
      "web-health": 1,
    });
  });

  it("is not monitoring before the targets arrive, while one is unscraped, or while a group was never evaluated", () => {
    const expected = new Map([
      ["web", 2],
      ["web-health", 1],
    ]);
    const evaluated = rules({ "demo-alerts": "2026-12-05T22:00:05.01Z" });
    assert.deepEqual(notYetMonitoring(expected, targets({}), evaluated), [
      "job web scraped (0 of 2 targets)",
      "job web-health scraped (0 of 1 targets)",
    ]);
    assert.deepEqual(
      notYetMonitoring(expected, targets({ web: ["up", "unknown"], "web-health": ["down"] }), evaluated),
      ["job web scraped (1 of 2 targets)"],
    );
    assert.deepEqual(
      notYetMonitoring(expected, targets({ web: ["up", "up"], "web-health": ["up"] }), rules({ "demo-alerts": NEVER })),
      ["rule group demo-alerts evaluated"],
    );
  });

  it("is monitoring once every target was scraped, up or down, or dropped, and every group evaluated", () => {
    const expected = new Map([
      ["web", 2],
      ["web-health", 1],
    ]);
    const evaluated = rules({ "demo-alerts": "2026-12-05T22:00:05.01Z", "demo-shared": "2026-12-05T22:00:03Z" });
    assert.deepEqual(
      notYetMonitoring(expected, targets({ web: ["up", "down"], "web-health": ["down"] }), evaluated),
      [],
    );
    assert.deepEqual(
      notYetMonitoring(expected, targets({ web: ["up"], "web-health": ["up"] }, ["web"]), evaluated),
      [],
    );
  });
});
