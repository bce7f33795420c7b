import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCatalogFile } from "../../catalog/load";
import { CatalogError } from "../../catalog/diagnostics";
import { ruleGroupsOf } from "../../artifacts";
import { MAX_RULE_FILE_BYTES, readCustomRules } from "../../alerts/custom-files";
import { GOOD, ROOT } from "../helpers/catalogs";

const catalog = loadCatalogFile(join(GOOD, "all-kinds", "catalog.yaml"));
const FIXTURES = join(ROOT, "test", "fixtures", "custom-rules");

test("hand-written rule files in alerts/custom are completed to the alert contract", () => {
  const groups = ruleGroupsOf(catalog, {
    customRules: readCustomRules(join(FIXTURES, "good"), catalog.system),
    profile: "prod",
  });
  const group = groups.find((g) => g.name === "acme-custom-crm");
  assert.ok(group, "the custom group is rendered with a system-prefixed name");
  const alert = group.rules.find((r) => r.kind === "alert")!;
  assert.equal(alert.kind, "alert");
  assert.deepEqual(alert.labels, {
    service: "db",
    severity: "P1",
    signal: "custom",
    team: "sre",
    alert: "CrmSyncStalled",
  });
  assert.equal(alert.annotations.summary, "CRM sync has not run for an hour");
  assert.match(alert.annotations.runbook_url, /\/docs\/runbooks\/custom\.md$/);
  assert.equal(alert.forMs, 600_000);
  assert.ok(group.rules.some((r) => r.kind === "record" && r.record === "crm:orphaned_records:max"));
});

test("every problem of a hand-written rule file is reported at once with its file, group and rule", () => {
  const err = (() => {
    try {
      ruleGroupsOf(catalog, { customRules: readCustomRules(join(FIXTURES, "bad"), catalog.system), profile: "prod" });
    } catch (e) {
      return e;
    }
    assert.fail("the broken rule file was accepted");
  })();
  assert.ok(err instanceof CatalogError);
  const lines = err.message
    .split("\n")
    .slice(1)
    .map((l) => l.trim());
  assert.deepEqual(lines, [
    "alerts/custom/broken.yml: groups[broken].rules[NoOwner].labels.service: is required (a service or external API of the catalog), or rule_files[].service for the file",
    'alerts/custom/broken.yml: groups[broken].rules[BadExpr].expr: PromQL does not parse at character 18 (near "e(x[5m]) >")',
    'alerts/custom/broken.yml: groups[broken].rules[Stranger].labels.service: "mainframe" is not a service or external API of the catalog',
    'alerts/custom/broken.yml: groups[broken].rules[Stranger].labels.severity: "P7" is not a severity (P0..P3, SEV1..SEV4 or critical|high|medium|low); map it with rule_files[].severity_map',
    'alerts/custom/broken.yml: groups[broken].rules[Stranger].labels.signal: "vibes" is not one of availability | error_rate | latency | probe | heartbeat | saturation | quota | budget | tls | slo_burn | custom',
    'alerts/custom/broken.yml: groups[broken].rules[Stranger].for: "soon" is not a duration like 5m',
  ]);
});

test("alerts/custom reads only regular files under the size cap: a symlink to /dev/zero, a FIFO, a directory and a huge file are refused at once, by name", () => {
  const dir = mkdtempSync(join(tmpdir(), "custom-rules-"));
  try {
    writeFileSync(join(dir, "ok.yml"), "groups: []\n");
    symlinkSync("/dev/zero", join(dir, "zero.yml"));
    assert.equal(spawnSync("mkfifo", [join(dir, "fifo.yml")]).status, 0);
    mkdirSync(join(dir, "dir.yml"));
    writeFileSync(join(dir, "big.yml"), "");
    truncateSync(join(dir, "big.yml"), MAX_RULE_FILE_BYTES + 1);
    symlinkSync(join(dir, "ok.yml"), join(dir, "link.yml"));
    const started = Date.now();
    assert.throws(
      () => readCustomRules(dir, "acme"),
      (e: Error) => {
        assert.ok(e instanceof CatalogError);
        assert.deepEqual(
          e.diagnostics.map((d) => `${d.path}: ${d.message}`),
          [
            `alerts/custom/big.yml: is ${MAX_RULE_FILE_BYTES + 1} bytes; rule files may have at most ${MAX_RULE_FILE_BYTES} (16 MiB)`,
            "alerts/custom/dir.yml: is a directory, not a regular file",
            "alerts/custom/fifo.yml: is a FIFO, not a regular file",
            "alerts/custom/zero.yml: is a character device, not a regular file",
          ],
        );
        return true;
      },
    );
    assert.ok(Date.now() - started < 2000, "no read blocks or runs away");
    rmSync(join(dir, "big.yml"));
    rmSync(join(dir, "dir.yml"), { recursive: true });
    rmSync(join(dir, "fifo.yml"));
    rmSync(join(dir, "zero.yml"));
    assert.deepEqual(readCustomRules(dir, "acme"), { "link.yml": "groups: []\n", "ok.yml": "groups: []\n" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
