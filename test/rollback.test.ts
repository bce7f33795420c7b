import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { ROOT } from "./helpers/catalogs";
import { cli as inProcess, type CliResult } from "./helpers/cli-in-process";
import { gitRepo, type GitRepo } from "./diff/git-repo";

const CATALOG = "Pulumi.prod.yaml";

/** The command in-process (the binary's smoke tests are test/cli.test.ts and test/diff/diff.test.ts). */
function cli(repo: GitRepo, args: string[]): Promise<CliResult> {
  return inProcess(
    [...args, "--catalog", join(repo.dir, CATALOG), "--custom-rules", join(repo.dir, "alerts", "custom")],
    {
      cwd: repo.dir,
    },
  );
}

/** `render` into a fresh directory: relative path → content. */
async function render(repo: GitRepo): Promise<Record<string, string>> {
  const out = mkdtempSync(join(tmpdir(), "ops-monitoring-render-"));
  try {
    const r = await cli(repo, ["render", "--out", out]);
    assert.equal(r.status, 0, r.stderr);
    const files: Record<string, string> = {};
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else files[relative(out, path)] = readFileSync(path, "utf8");
      }
    };
    walk(out);
    return files;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

async function plan(repo: GitRepo): Promise<string> {
  const r = await cli(repo, ["plan", "--stack", "prod", "--json"]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** A bad change touching every kind of thing the stack manages. */
function badChange(catalog: string): string {
  const edits: Array<[string, string]> = [
    ['error_rate: { P1: "10%", P2: "5%", for: 5m }', 'error_rate: { P1: "3%", P2: "1%", for: 5m }'],
    ["routes: { P0: [pagerduty, slack], P1: [slack, email]", "routes: { P0: [slack], P1: [slack, email]"],
    [
      "ANTHROPIC_API_KEY: { secret: anthropicApiKey, targets: [production]",
      "ANTHROPIC_API_KEY: { secret: anthropicApiKey, targets: [production, preview]",
    ],
    ["variables: { GRAFANA_URL: grafana-url }", "variables: { GRAFANA_URL: grafana-url, REGION: region }"],
  ];
  let out = catalog;
  for (const [from, to] of edits) {
    assert.ok(out.includes(from), `the example catalog no longer contains ${from}`);
    out = out.replace(from, to);
  }
  return out;
}

test("git revert of a bad change renders byte-identical artifacts and an identical plan", async () => {
  const repo = gitRepo();
  try {
    const good = readFileSync(join(ROOT, CATALOG), "utf8");
    const base = repo.commit("catalog A", { [CATALOG]: good });
    const renderedA = await render(repo);
    const planA = await plan(repo);

    repo.commit("a bad change", { [CATALOG]: badChange(good) });
    assert.notDeepEqual(await render(repo), renderedA);
    assert.notEqual(await plan(repo), planA);
    const reviewed = await cli(repo, ["diff", "--base", base]);
    assert.equal(reviewed.status, 1);
    assert.deepEqual(reviewed.stdout.trim().split("\n"), [
      "alert web/error_rate P1: threshold 10% -> 3%",
      "alert web/error_rate P2: threshold 5% -> 1%",
      "route P0: -pagerduty",
      "vercel web ANTHROPIC_API_KEY: targets production -> production, preview",
      "github variable REGION: added (from config region)",
    ]);

    repo.git("revert", "--no-edit", "HEAD");
    assert.equal(readFileSync(join(repo.dir, CATALOG), "utf8"), good);
    assert.deepEqual(await render(repo), renderedA);
    assert.equal(await plan(repo), planA);

    const againstA = await cli(repo, ["diff", "--base", base]);
    assert.equal(againstA.status, 0, againstA.stdout);
    const undone = await cli(repo, ["diff", "--base", "HEAD~1"]);
    assert.equal(undone.status, 1);
    assert.ok(undone.stdout.includes("alert web/error_rate P1: threshold 3% -> 10%"), undone.stdout);
  } finally {
    repo.remove();
  }
});
