/**
 * Regexes that hang or crash a backtracking engine are ordinary RE2: `verify` (render,
 * promtool, amtool, blackbox, generated rule tests) finishes promptly and passes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../helpers/cli-in-process";

const CATALOG = `system: shop
grafana: { url: "https://grafana.shop.example" }
runbooks: { base_url: "https://wiki.shop.example/runbooks" }
services:
  - name: api
    kind: api
    metrics: { selector: 'job=~"(.*.*.*)*\\\\x00"', errors: 'outcome=~"(?i)error"' }
    health: { url: "https://api.shop.example/health", expect_body: '(a+)+$' }
    thresholds: { error_rate: { P1: "5%" } }
    slos: [{ name: availability, sli: availability, objective: 99.9 }]
  - name: web
    kind: frontend
    metrics: { errors: 'http_response_status_code=~"(?i)5\\\\d\\\\d"' }
    thresholds: { error_rate: { P1: "5%" } }
`;

test(
  "verify passes within seconds on (.*.*.*)*\\x00 selectors, (?i) matchers and a (a+)+$ body regex",
  { timeout: 120_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "hostile-re2-"));
    try {
      writeFileSync(join(dir, "catalog.yaml"), CATALOG);
      const started = Date.now();
      const run = await runCli(["verify", "--catalog", join(dir, "catalog.yaml"), "--custom-rules", join(dir, "none")]);
      assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
      assert.match(run.stdout, /all \d+ checks passed/);
      assert.match(run.stdout, /promtool test rules: [1-9]\d* alerts fire on matching series/);
      assert.ok(Date.now() - started < 60_000, `took ${Date.now() - started} ms`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
