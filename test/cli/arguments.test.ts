import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, ROOT } from "../helpers/catalogs";
import { cli as inProcess } from "../helpers/cli-in-process";
import { parseArgs } from "../../cli/args";
import { runCli } from "../helpers/cli-in-process";

const cli = (...args: string[]) => inProcess(args, { cwd: ROOT });

const COMMANDS = ["render", "verify", "plan", "diff", "start", "backtest", "secrets"];

test("a positional argument is refused with a usage error by every command, before anything runs", async () => {
  for (const command of COMMANDS) {
    const r = await cli(command, "my-catalog.yaml");
    assert.equal(r.status, 2, `${command}: ${r.stdout}${r.stderr}`);
    assert.equal(
      r.stderr.split("\n")[0],
      `${command}: unexpected argument "my-catalog.yaml" (to read a catalog: --catalog my-catalog.yaml)`,
    );
    assert.equal(r.stdout, "", command);
  }
});

test("render FILE writes nothing and exits 2", async () => {
  const out = mkdtempSync(join(tmpdir(), "render-positional-"));
  try {
    const r = await cli("render", "Pulumi.prod.yaml", "--out", out);
    assert.equal(r.status, 2);
    assert.deepEqual(readdirSync(out), []);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("a switch never swallows the next word: plan --json FILE is refused, not planned", async () => {
  const r = await cli("plan", "--json", "Pulumi.prod.yaml");
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^plan: unexpected argument "Pulumi.prod.yaml"/);
});

test("every <command> --help prints that command's usage and exits 0", async () => {
  for (const command of COMMANDS) {
    const r = await cli(command, "--help");
    assert.equal(r.status, 0, command);
    assert.equal(
      r.stdout.split("\n")[0].startsWith(`usage: ops-monitoring ${command} `),
      true,
      `${command}: ${r.stdout}`,
    );
  }
  const plan = spawnSync(BIN, ["plan", "--help"], { encoding: "utf8", cwd: ROOT });
  assert.equal(plan.stdout.split("\n")[0], "usage: ops-monitoring plan --catalog F --stack prod|local [--json]");
  assert.doesNotMatch(plan.stdout, /resources$/m, "plan --help must not print a plan");
});

test("render and verify warn when the catalog's alert links would be relative", async () => {
  const dir = mkdtempSync(join(tmpdir(), "links-"));
  try {
    const catalog = join(dir, "catalog.yaml");
    writeFileSync(catalog, "system: shop\nservices:\n  - { name: api, kind: api }\n");
    const r = await cli("render", "--catalog", catalog, "--out", join(dir, "out"));
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stderr.trimEnd().split("\n"), [
      `warning: ${catalog}: grafana.url: alerts' dashboard_url links are relative (/d/…) and do not open from a notification; set grafana.url`,
      `warning: ${catalog}: runbooks.base_url: alerts' runbook_url links are relative (docs/runbooks/…) and do not open from a notification; set runbooks.base_url or github.repository`,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the bundled prospectpro rules stay out of a user's catalog named prospectpro", async () => {
  const dir = mkdtempSync(join(tmpdir(), "prospectpro-"));
  try {
    const catalog = join(dir, "catalog.yaml");
    // No `db` service: the bundled alerts/custom/prospectpro/crm.yml (service: db) would be refused.
    writeFileSync(
      catalog,
      "system: prospectpro\ngrafana: { url: https://x.grafana.net }\nrunbooks: { base_url: https://x.example.com/runbooks }\nservices:\n  - { name: api, kind: api }\n",
    );
    const r = await cli("render", "--catalog", catalog, "--out", join(dir, "out"));
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.deepEqual(
      readdirSync(join(dir, "out", "prometheus", "rules")).filter((f) => f.includes("custom")),
      [],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the repository's own catalog still gets its hand-written rules from alerts/custom beside it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "own-"));
  try {
    const r = await cli("render", "--catalog", "Pulumi.prod.yaml", "--out", join(dir, "out"));
    assert.equal(r.status, 0, r.stderr);
    const rules = readdirSync(join(dir, "out", "prometheus", "rules"));
    assert.ok(
      rules.some((f) => f.includes("crm")),
      rules.join(", "),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--flag=value keeps everything after the first =: a comment with = and a URL with a query", () => {
  assert.deepEqual(parseArgs(["--comment=deploy=v42", "--prometheus=http://h/p?tenant=a&b=c", "--empty="]).flags, {
    comment: "deploy=v42",
    prometheus: "http://h/p?tenant=a&b=c",
    empty: "",
  });
});

test("plan --stack with a stack the project does not have (a typo) is refused, not planned as prod", async () => {
  const r = await runCli(["plan", "--stack", "lcoal"]);
  assert.equal(r.code, 2);
  assert.equal(
    r.stderr,
    'plan: --stack "lcoal" is not a stack of this project (local, prod); a stack NAME needs a Pulumi.NAME.yaml beside the catalog or Pulumi.yaml',
  );
  assert.equal(r.stdout, "");
});

test("start --history outside 1m..30d is refused before anything starts", async () => {
  for (const value of ["1ms", "59s", "31d"]) {
    const r = await runCli(["start", "--catalog", join(ROOT, "Pulumi.prod.yaml"), "--history", value]);
    assert.equal(r.code, 2, `${value}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`--history "${value}" is not a duration between 1m and 30d`));
  }
});
