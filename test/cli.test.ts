import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, GOOD, ROOT } from "./helpers/catalogs";
import { cli as inProcess } from "./helpers/cli-in-process";

const cli = (...args: string[]) => inProcess(args, { cwd: ROOT });

test("render writes the Prometheus, Alertmanager, blackbox and dashboard artifacts the design lists", async () => {
  const out = mkdtempSync(join(tmpdir(), "render-"));
  try {
    const r = await cli("render", "--catalog", join(GOOD, "all-kinds", "catalog.yaml"), "--out", out);
    assert.equal(r.status, 0, r.stderr);
    for (const f of [
      "prometheus/prometheus.yml",
      "alertmanager/alertmanager.yml",
      "blackbox/blackbox.yml",
      "dashboards/overview.json",
      "prometheus/rules/acme-alerts.yml",
    ]) {
      assert.ok(existsSync(join(out, f)), f);
    }
    assert.equal(readdirSync(join(out, "dashboards")).length, 7);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("render of a bad catalog names every problem, exits 2 without a stack trace and writes nothing", async () => {
  const out = join(mkdtempSync(join(tmpdir(), "render-")), "out");
  const r = await cli(
    "render",
    "--catalog",
    join(ROOT, "test", "fixtures", "bad", "many-problems", "catalog.yaml"),
    "--out",
    out,
  );
  assert.equal(r.status, 2);
  assert.match(r.stderr, /18 problems/);
  assert.match(r.stderr, /services\[checkout\]\.thresholds\.error_rate\.P1: "5s" is not a percentage/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  assert.equal(existsSync(out), false);
});

test("render twice into two directories, by bin/ops-monitoring and in-process, gives byte-identical files", async () => {
  const a = mkdtempSync(join(tmpdir(), "render-a-"));
  const b = mkdtempSync(join(tmpdir(), "render-b-"));
  try {
    const prod = join(ROOT, "Pulumi.prod.yaml");
    assert.equal(spawnSync(BIN, ["render", "--catalog", prod, "--out", a], { encoding: "utf8", cwd: ROOT }).status, 0);
    assert.equal((await cli("render", "--catalog", prod, "--out", b)).status, 0);
    for (const f of [
      "alertmanager/alertmanager.yml",
      "prometheus/prometheus.yml",
      "prometheus/rules/prospectpro-alerts.yml",
      "dashboards/service.json",
    ]) {
      assert.equal(readFileSync(join(a, f), "utf8"), readFileSync(join(b, f), "utf8"), f);
    }
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});

test("an unknown command or a missing flag is a usage error with exit code 2", async () => {
  const unknown = await cli("deploy");
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command "deploy"/);
  const missing = await cli("render", "--catalog", join(ROOT, "Pulumi.prod.yaml"));
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /--out is required/);
});
