/**
 * Detection bounds against hand-computed figures: each expectation below is the sum of the
 * terms written next to it, worked out from the catalog by hand (not by the code under test).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { validateCatalog } from "../../catalog/validate";
import { catalogBounds, objectiveMisses, type DetectionBound } from "../../alerts/detection-bounds";

const CATALOG = `
system: shop
services:
  - name: web
    kind: frontend
    health: { url: "https://shop.example/health", every: 5m, timeout: 10s }
    slos: [{ name: availability, sli: availability, objective: 99.9 }]
    thresholds: { error_rate: { P1: "10%" }, latency_p95: { P2: 2s } }
  - { name: nightly, kind: job, heartbeat: 1h }
rules:
  - { name: QueueStuck, expr: "avg_over_time(queue_depth[15m]) > 100", for: 2m, severity: P2, service: web }
alerting:
  objectives: { P0: { detect: 5m, pages_per_week: 2 }, high: { detect: 15m } }
  escalation: { P0: { after: 30m, to: [lead] } }
  contacts: { lead: { type: email, to: [lead@shop.example] } }
`;
const catalog = validateCatalog(parse(CATALOG), "shop.yaml");
const byId = (bounds: DetectionBound[]) => new Map(bounds.map((b) => [b.id, b]));
const prod = byId(catalogBounds(catalog, "prod"));
const local = byId(catalogBounds(catalog, "local"));
const seconds = (b: DetectionBound | undefined) => b && Object.fromEntries(b.terms.map((t) => [t.term, t.ms / 1000]));

test("a 5-minute probe with for 1m takes 7m40s to notify in prod: probe 5m + timeout 10s + evaluation 1m + for 1m + group_wait 30s", () => {
  const b = prod.get("web/probe")!;
  assert.equal(b.totalMs / 1000, 300 + 10 + 0 + 60 + 60 + 30);
  assert.equal(b.incident, "a full outage: every probe fails");
  assert.deepEqual(seconds(b), {
    "probe every": 300,
    "probe timeout": 10,
    "crossing (first sample of the incident)": 0,
    evaluation: 60,
    for: 60,
    group_wait: 30,
  });
});

test("the same probe in the local profile: probe 5s + timeout 5s + evaluation 5s + for 10s + group_wait 2s = 27s", () => {
  assert.equal(local.get("web/probe")!.totalMs / 1000, 5 + 5 + 0 + 5 + 10 + 2);
});

test("a 99.9% availability page crosses after 14.4 × 0.1% of its 1h window (51.84s, one more scrape: 60s) and notifies within 4m", () => {
  // scrape 30s + crossing 60s + recording rule 60s + evaluation 60s + for 0 + group_wait 30s
  assert.equal(prod.get("web/slo/availability/page")!.totalMs / 1000, 30 + 60 + 60 + 60 + 0 + 30);
  // ticket: 3 × 0.1% of 1d = 259.2s → 270s at 30s scrapes
  assert.equal(prod.get("web/slo/availability/ticket")!.totalMs / 1000, 30 + 270 + 60 + 60 + 0 + 30);
});

test("a 10% error-rate threshold crosses after 10% of the 5m window and then waits its 5m for", () => {
  // scrape 30s + crossing 30s + recording rule 60s + evaluation 60s + for 300s + group_wait 30s
  assert.equal(prod.get("web/error_rate/P1")!.totalMs / 1000, 30 + 30 + 60 + 60 + 300 + 30);
  // p95 at twice its threshold: 5% of the 5m window is slow after 15s, a scrape later 30s
  assert.equal(prod.get("web/latency_p95/P2")!.totalMs / 1000, 30 + 30 + 60 + 60 + 300 + 30);
});

test("a stopped hourly job is noticed 2h after its last success, plus evaluation, its 5m for and group_wait", () => {
  const b = prod.get("nightly/heartbeat")!;
  assert.equal(b.totalMs / 1000, 7200 + 60 + 300 + 30);
  assert.equal(
    b.terms.some((t) => t.term.includes("every")),
    false,
  );
});

test("an escalated copy adds its after and one history step to the alert's bound", () => {
  assert.equal(prod.get("web/probe/escalation")!.totalMs / 1000, 460 + 1800 + 60);
  assert.ok(prod.get("web/probe/escalation")!.terms.some((t) => t.term === "escalation after" && t.ms === 1800_000));
});

test("a hand-written rule's crossing is its longest range window", () => {
  // scrape 30s + crossing 15m + evaluation 60s + for 2m + group_wait 30s
  assert.equal(prod.get("web/custom/QueueStuck")!.totalMs / 1000, 30 + 900 + 60 + 120 + 30);
});

test("a 95% SLO page needs 72% of its 1h window bad on a full outage: over 46 minutes", () => {
  const loose = validateCatalog(
    parse(`
system: shop
services:
  - { name: web, kind: frontend, slos: [{ name: availability, sli: availability, objective: 95 }] }
`),
    "loose.yaml",
  );
  const page = catalogBounds(loose, "prod").find((b) => b.id === "web/slo/availability/page")!;
  // 14.4 × 5% = 72% of 3600s = 2592s, at 30s scrapes 2610s; 6 × 5% = 30% of 6h = 6480s is later
  assert.equal(page.totalMs / 1000, 30 + 2610 + 60 + 60 + 0 + 30);
});

test("objectives name every first notification over its severity's detect, in each target, but not escalated copies", () => {
  const misses = objectiveMisses(catalog, [...prod.values(), ...local.values()]);
  // web/tls/P1 (high = P1, detect 15m): probe 5m + timeout 10s + evaluation 1m + for 10m + group_wait 30s = 16m40s
  assert.equal(misses.length, 2, misses.join("\n"));
  assert.match(
    misses[1],
    /^prod web\/tls\/P1 \(TlsCertificateExpiring P1\): worst case 16m40s exceeds alerting\.objectives\.P1\.detect 15m/,
  );
  assert.match(
    misses[0],
    /^prod web\/probe \(ProbeDown P0\): worst case 7m40s exceeds alerting\.objectives\.P0\.detect 5m/,
  );
  assert.match(misses[0], /probe every 5m \+ probe timeout 10s \+ .* \+ for 1m \+ group_wait 30s = 7m40s/);
});
