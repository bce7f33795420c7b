import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { validateCatalog } from "../../catalog/validate";
import { needsRotation, rotationReport } from "../../cli/secrets";
import { vercelEnvSpecs } from "../../env/vercel-env";
import { BIN } from "../helpers/catalogs";
import { cli } from "../helpers/cli-in-process";
import { runCli } from "../helpers/cli-in-process";
import { CatalogError } from "../../catalog/diagnostics";

const CATALOG = `
system: shop
services:
  - name: web
    kind: frontend
    vercel:
      project: shop-web
      env:
        NEXT_PUBLIC_APP_NAME: { value: Shop }
        ANTHROPIC_API_KEY: { secret: anthropicApiKey, targets: [production], rotate_every: 90d, rotated_at: "2026-01-10" }
        STRIPE_KEY: { secret: stripeKey, rotate_every: 30d }
        SENTRY_DSN: { secret: sentryDsn }
`;

function specs() {
  return vercelEnvSpecs(validateCatalog(parse(CATALOG)));
}

test("the due date is the last rotation plus the period; past it the secret is overdue", () => {
  const [anthropic] = rotationReport(specs(), "2026-04-01").filter((e) => e.key === "ANTHROPIC_API_KEY");
  assert.equal(anthropic.due, "2026-04-10");
  assert.equal(anthropic.daysLeft, 9);
  assert.equal(anthropic.status, "ok");
  assert.equal(rotationReport(specs(), "2026-04-10").find((e) => e.key === "ANTHROPIC_API_KEY")!.status, "due");
  const late = rotationReport(specs(), "2026-04-15").find((e) => e.key === "ANTHROPIC_API_KEY")!;
  assert.equal(late.status, "overdue");
  assert.equal(late.daysLeft, -5);
});

test("plain values are not listed; a period without rotated_at needs attention; no period is only listed", () => {
  const report = rotationReport(specs(), "2026-02-01");
  assert.deepEqual(
    report.map((e) => `${e.key} ${e.status}`),
    ["ANTHROPIC_API_KEY ok", "SENTRY_DSN no-policy", "STRIPE_KEY unknown"],
  );
  assert.deepEqual(
    report.filter(needsRotation).map((e) => e.key),
    ["STRIPE_KEY"],
  );
});

test("secrets exits 1 when a secret is overdue, 0 otherwise, and prints names but never values", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ops-monitoring-secrets-"));
  try {
    const file = join(dir, "catalog.yaml");
    writeFileSync(
      file,
      CATALOG.replace(
        "STRIPE_KEY: { secret: stripeKey, rotate_every: 30d }",
        'STRIPE_KEY: { secret: stripeKey, rotate_every: 30d, rotated_at: "2026-01-20" }',
      ),
    );
    const ok = spawnSync(BIN, ["secrets", "--catalog", file, "--today", "2026-02-01"], { encoding: "utf8" });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(
      ok.stdout,
      /web ANTHROPIC_API_KEY \(project shop-web, secret anthropicApiKey\): rotate every 90d, rotated 2026-01-10, due 2026-04-10: ok, 68 days left/,
    );
    assert.match(ok.stdout, /nothing to rotate/);
    assert.doesNotMatch(ok.stdout, /Shop\b/);

    const late = await cli(["secrets", "--catalog", file, "--today", "2026-03-01"]);
    assert.equal(late.status, 1);
    assert.match(late.stdout, /STRIPE_KEY .*due 2026-02-19: OVERDUE by 10 days/);
    assert.match(late.stdout, /1 secret to rotate: web STRIPE_KEY/);

    const bad = await cli(["secrets", "--catalog", file, "--today", "March 1"]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--today "March 1" is not a date/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a rotated_at after today is refused naming the field, never reported as ok", async () => {
  assert.throws(
    () => rotationReport(specs(), "2026-01-09"),
    (e: Error) =>
      e instanceof CatalogError &&
      e.diagnostics.length === 1 &&
      e.diagnostics[0].path === "services[web].vercel.env.ANTHROPIC_API_KEY.rotated_at" &&
      e.diagnostics[0].message === '"2026-01-10" is after today (2026-01-09): set the date of the last rotation',
  );
  assert.equal(rotationReport(specs(), "2026-01-10").find((e) => e.key === "ANTHROPIC_API_KEY")!.status, "ok");
  const dir = mkdtempSync(join(tmpdir(), "ops-monitoring-secrets-"));
  try {
    const file = join(dir, "catalog.yaml");
    writeFileSync(file, CATALOG.replace('rotated_at: "2026-01-10"', 'rotated_at: "2030-01-01"'));
    const r = await runCli(["secrets", "--catalog", file, "--today", "2026-12-05"]);
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, /ANTHROPIC_API_KEY\.rotated_at: "2030-01-01" is after today \(2026-12-05\)/);
    assert.doesNotMatch(r.stdout, /days left/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
