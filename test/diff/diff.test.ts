import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCatalogFile } from "../../catalog/load";
import { diffModels, EMPTY_MODEL, monitoringModel } from "../../diff";
import { BIN, ROOT } from "../helpers/catalogs";
import { cli } from "../helpers/cli-in-process";
import { gitRepo } from "./git-repo";

const FIXTURES = join(ROOT, "test", "fixtures", "diff");

function lines(text: string): string[] {
  return text.split("\n").filter((l) => l !== "");
}

function fixtureDiff(name: string): string[] {
  const model = (file: string) => monitoringModel(loadCatalogFile(join(FIXTURES, name, file)), {});
  return diffModels(model("before.yaml"), model("after.yaml"));
}

for (const name of readdirSync(FIXTURES).sort()) {
  test(`fixture ${name}: the semantic diff prints exactly the expected lines`, () => {
    assert.deepEqual(fixtureDiff(name), lines(readFileSync(join(FIXTURES, name, "expected.txt"), "utf8")));
  });
}

test("a threshold change is explained in one line, its consequences folded in", () => {
  assert.deepEqual(fixtureDiff("threshold-change"), ["alert web/error_rate P1: threshold 5% -> 3%"]);
});

test("reordering services and env keys changes nothing", () => {
  assert.deepEqual(fixtureDiff("reordered"), []);
});

test("no diff line ever holds a secret value or a plain env value", () => {
  for (const name of readdirSync(FIXTURES)) {
    for (const line of fixtureDiff(name)) {
      assert.doesNotMatch(line, /Shop\b|https:\/\/hooks|placeholder/, `${name}: ${line}`);
    }
  }
});

test("a catalog diffed against nothing lists every alert as added", () => {
  const after = monitoringModel(loadCatalogFile(join(FIXTURES, "threshold-change", "before.yaml")), {});
  const out = diffModels(EMPTY_MODEL, after);
  assert.ok(out.includes("alert web/error_rate P1: added"));
  assert.ok(out.includes("route P0: +slack"));
  assert.ok(out.includes("vercel web ANTHROPIC_API_KEY: added (targets production, secret ref anthropicApiKey)"));
  assert.ok(out.includes("github secret GRAFANA_DEPLOY_TOKEN: added (from output grafana-deploy-token)"));
});

test("a plain env value edit says only that the value changed", () => {
  const before = beforeModel();
  const after = beforeModel();
  const spec = after.vercel.find((s) => s.key === "NEXT_PUBLIC_APP_NAME")!;
  spec.source = { value: "Shop 2" };
  assert.deepEqual(diffModels(before, after), ["vercel web NEXT_PUBLIC_APP_NAME: value changed"]);
});

test("a dashboard with one more panel reports +1 panel with its title", () => {
  const before = beforeModel();
  const after = beforeModel();
  const service = after.dashboards.find((d) => d.key === "service")!;
  (service.json.panels as unknown[]).push({
    id: 999,
    type: "timeseries",
    title: "Cold starts",
    gridPos: { x: 0, y: 99, w: 12, h: 8 },
  });
  assert.deepEqual(diffModels(before, after), ["dashboard service: +1 panel (Cold starts)"]);
});

/** A fresh model each call: the rule model holds functions (tests built on demand), so it cannot be cloned. */
function beforeModel() {
  return monitoringModel(loadCatalogFile(join(FIXTURES, "threshold-change", "before.yaml")), {});
}

/** `bin/ops-monitoring diff` as a real process: the command's smoke test. */
function binaryDiff(cwd: string, args: string[]) {
  return spawnSync(BIN, ["diff", ...args], { cwd, encoding: "utf8" });
}

const runDiff = (cwd: string, args: string[]) => cli(["diff", ...args], { cwd });

test("diff --base reads the catalog and custom rules at the git ref and exits 1 on changes, 0 when identical", async () => {
  const repo = gitRepo();
  try {
    const before = readFileSync(join(FIXTURES, "threshold-change", "before.yaml"), "utf8");
    const after = readFileSync(join(FIXTURES, "threshold-change", "after.yaml"), "utf8");
    const base = repo.commit("catalog", { "catalog.yaml": before });
    repo.commit("tighten error rate, add a custom rule", {
      "catalog.yaml": after,
      "alerts/custom/queue.yml":
        "groups:\n  - name: queue\n    rules:\n      - alert: QueueStuck\n        expr: queue_depth > 100\n        for: 10m\n        labels: { severity: P2, service: web }\n",
    });
    const args = ["--catalog", join(repo.dir, "catalog.yaml"), "--custom-rules", join(repo.dir, "alerts", "custom")];

    const changed = binaryDiff(repo.dir, ["--base", base, ...args]);
    assert.equal(changed.status, 1, changed.stderr);
    const out = lines(changed.stdout);
    assert.deepEqual(out, ["alert web/custom/QueueStuck P2: added", "alert web/error_rate P1: threshold 5% -> 3%"]);

    const same = await runDiff(repo.dir, ["--base", "HEAD", ...args]);
    assert.equal(same.status, 0, same.stderr);
    assert.match(same.stdout, /^no changes in the rendered monitoring between HEAD/);
  } finally {
    repo.remove();
  }
});

test("diff --base with an unknown ref is a usage error naming the ref", async () => {
  const repo = gitRepo();
  try {
    repo.commit("catalog", { "catalog.yaml": readFileSync(join(FIXTURES, "threshold-change", "before.yaml"), "utf8") });
    const r = await runDiff(repo.dir, ["--base", "origin/nope", "--catalog", join(repo.dir, "catalog.yaml")]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown git revision "origin\/nope"/);
  } finally {
    repo.remove();
  }
});

test("a change shared by many alerts, like a new runbook base URL, is one line with examples", () => {
  const file = join(FIXTURES, "threshold-change", "before.yaml");
  const before = monitoringModel(loadCatalogFile(file), {});
  const raw = readFileSync(file, "utf8").replace(
    "system: shop\n",
    "system: shop\nrunbooks: { base_url: https://wiki.example.com/runbooks }\n",
  );
  const dir = mkdtempSync(join(tmpdir(), "ops-monitoring-diff-"));
  try {
    writeFileSync(join(dir, "catalog.yaml"), raw);
    const out = diffModels(before, monitoringModel(loadCatalogFile(join(dir, "catalog.yaml")), {}));
    assert.equal(out.length, 1, out.join("\n"));
    assert.match(out[0], /^\d+ alerts: runbook_url changed \(\S+ P\d, \S+ P\d, \S+ P\d, …\)$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
