import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PLACEHOLDER_SECRET_PREFIX } from "../../infra/offline-engine";
import { BIN, GOOD, ROOT } from "../helpers/catalogs";
import { cli } from "../helpers/cli-in-process";

const plan = (...args: string[]) => cli(["plan", ...args], { cwd: ROOT });

interface Planned {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

test("plan --json prints every resource of the prod stack sorted by type then name, secrets as [secret]", async () => {
  const r = await plan("--catalog", "Pulumi.prod.yaml", "--stack", "prod", "--json");
  assert.equal(r.status, 0, r.stderr);
  const { resources } = JSON.parse(r.stdout) as { resources: Planned[] };
  const keys = resources.map((x) => `${x.type}\u0000${x.name}`);
  assert.deepEqual(keys, [...keys].sort());
  assert.ok(resources.every((x) => Object.keys(x).join() === "type,name,inputs"));
  const pagerduty = resources.find((x) => x.name === "prospectpro-contact-pagerduty")!;
  assert.equal(pagerduty.inputs.pagerduties, "[secret]");
  assert.ok(!r.stdout.includes(PLACEHOLDER_SECRET_PREFIX));
  const folder = resources.find((x) => x.type === "grafana:oss/folder:Folder")!;
  assert.equal(folder.inputs.uid, "prospectpro");
});

test("plan uses the stack file's Grafana settings", async () => {
  const r = await plan("--json");
  assert.equal(r.status, 0, r.stderr);
  const { resources } = JSON.parse(r.stdout) as { resources: Planned[] };
  const group = resources.find((x) => x.type === "grafana:alerting/ruleGroup:RuleGroup")!;
  const [rule] = group.inputs.rules as Array<{ datas: Array<{ datasourceUid: string }> }>;
  assert.equal(rule.datas[0].datasourceUid, "grafanacloud-prom");
});

test("plan without --json prints a table with one line per resource and a total, then each alert's detection bound", async () => {
  const r = await plan("--catalog", join(GOOD, "all-kinds", "catalog.yaml"));
  assert.equal(r.status, 0, r.stderr);
  const [table, bounds] = r.stdout.trim().split("\n\n");
  const lines = table.split("\n");
  const boundLines = bounds.split("\n");
  assert.match(
    boundLines[0],
    /^Detection bounds: worst case from the start of the stated incident to the first notification/,
  );
  assert.match(boundLines[1], /^ALERT ID\s+NAME\s+SEV\s+DETECT PROD\s+INCIDENT$/);
  assert.ok(
    boundLines.some((l) => /\sProbeDown\s+P0\s+\d+m\d*s?\s+a full outage: every probe fails$/.test(l)),
    bounds,
  );
  assert.match(lines[0], /^TYPE\s+NAME\s+KEY INPUTS$/);
  assert.match(lines.at(-1)!, /^\d+ resources$/);
  assert.equal(lines.length - 2, Number(/^(\d+)/.exec(lines.at(-1)!)![1]));
  assert.ok(
    lines.some((l) =>
      /^grafana:alerting\/notificationPolicy:NotificationPolicy\s+acme-policy\s+contactPoint=acme-email/.test(l),
    ),
  );
});

test("the same catalog plans byte-identically twice: bin/ops-monitoring and in-process", async () => {
  const a = spawnSync(BIN, ["plan", "--catalog", join(GOOD, "all-kinds", "catalog.yaml"), "--json"], {
    encoding: "utf8",
    cwd: ROOT,
  });
  const b = await plan("--catalog", join(GOOD, "all-kinds", "catalog.yaml"), "--json");
  assert.equal(a.status, 0, a.stderr);
  assert.equal(b.status, 0, b.stderr);
  assert.equal(a.stdout, b.stdout);
});

test("plan of the local stack registers no Grafana Cloud alerting or synthetic checks", async () => {
  const r = await plan("--stack", "local", "--json");
  assert.equal(r.status, 0, r.stderr);
  const { resources } = JSON.parse(r.stdout) as { resources: Planned[] };
  assert.ok(
    !resources.some((x) => /^grafana:(alerting|syntheticMonitoring)\//.test(x.type)),
    resources.map((x) => x.type).join(),
  );
});

test("a stack file writing the Grafana URL twice (grafana:url and the catalog's grafana.url) exits 2 naming both, without a stack trace", async () => {
  const dir = mkdtempSync(join(tmpdir(), "plan-"));
  try {
    const file = join(dir, "Pulumi.prod.yaml");
    const text = readFileSync(join(ROOT, "Pulumi.prod.yaml"), "utf8").replace(
      "    system: prospectpro\n",
      "    system: prospectpro\n    grafana: { url: https://elsewhere.grafana.net }\n",
    );
    writeFileSync(file, text);
    const r = await plan("--catalog", file);
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /grafana\.url: the Grafana URL is written twice, here and as grafana:url: remove grafana\.url/,
    );
    assert.doesNotMatch(r.stderr, /\bat .+:\d+:\d+/);
    assert.equal(r.stdout, "");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("plan of an invalid catalog names the file and every problem, and exits 2", async () => {
  const file = join(ROOT, "test", "fixtures", "bad", "many-problems", "catalog.yaml");
  const r = await plan("--catalog", file);
  assert.equal(r.status, 2);
  assert.match(r.stderr, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: \\d+ problems`));
  assert.match(r.stderr, /services\[checkout\]\.team/);
  assert.equal(r.stdout, "");
});
