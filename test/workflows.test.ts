import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { DEPLOY_ANNOTATION_TAG } from "../conventions";
import { ROOT } from "./helpers/catalogs";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  if?: string;
  id?: string;
}
interface Job {
  if?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string> | string;
  concurrency: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, Job>;
}

function workflow(name: string): { text: string; wf: Workflow } {
  const text = readFileSync(join(ROOT, ".github", "workflows", `${name}.yml`), "utf8");
  return { text, wf: parse(text) as Workflow };
}

const WORKFLOWS = ["pr", "deploy", "drift"];
/** Repository secrets the workflows may read (documented in the README). */
const DOCUMENTED_SECRETS = [
  "GITHUB_TOKEN",
  "PULUMI_ACCESS_TOKEN",
  "VERCEL_API_TOKEN",
  "GH_ADMIN_TOKEN",
  "GRAFANA_DEPLOY_TOKEN",
  "PROMETHEUS_URL",
  "PROMETHEUS_USER",
  "PROMETHEUS_PASSWORD",
  "PROMETHEUS_TOKEN",
];

const steps = (wf: Workflow) => Object.values(wf.jobs).flatMap((j) => j.steps);
const pulumiSteps = (wf: Workflow) => steps(wf).filter((s) => s.uses?.startsWith("pulumi/actions@"));

test("pr runs on pull requests, deploy on pushes to main, drift on a schedule and by hand", () => {
  assert.deepEqual(Object.keys(workflow("pr").wf.on), ["pull_request"]);
  const deploy = workflow("deploy").wf.on as { push: { branches: string[] } };
  assert.deepEqual(deploy.push.branches, ["main"]);
  const drift = workflow("drift").wf.on as { schedule: Array<{ cron: string }>; workflow_dispatch: unknown };
  assert.equal(drift.schedule.length, 1);
  assert.match(drift.schedule[0].cron, /^\S+ \S+ \S+ \S+ \S+$/);
  assert.ok("workflow_dispatch" in drift);
});

test("every workflow is concurrency-guarded per stack and applies are never cancelled", () => {
  for (const name of WORKFLOWS) assert.match(workflow(name).wf.concurrency.group, /prod/, name);
  assert.equal(workflow("deploy").wf.concurrency["cancel-in-progress"], false);
  assert.equal(workflow("drift").wf.concurrency["cancel-in-progress"], false);
  assert.equal(workflow("pr").wf.concurrency["cancel-in-progress"], true);
});

test("permissions are least privilege: read-only by default, writes only where a job needs them", () => {
  const allowedWrites: Record<string, Record<string, string[]>> = {
    pr: { preview: ["pull-requests"] },
    deploy: {},
    drift: { drift: ["issues"], "secret-rotation": ["issues"] },
  };
  for (const name of WORKFLOWS) {
    const { wf } = workflow(name);
    assert.deepEqual(wf.permissions, { contents: "read" }, name);
    for (const [jobName, job] of Object.entries(wf.jobs)) {
      const writes = Object.entries(job.permissions ?? {})
        .filter(([, v]) => v === "write")
        .map(([k]) => k);
      assert.deepEqual(writes, allowedWrites[name][jobName] ?? [], `${name}.${jobName}`);
    }
  }
});

test("actions are pinned by major version", () => {
  for (const name of WORKFLOWS) {
    for (const s of steps(workflow(name).wf).filter((s) => s.uses))
      assert.match(s.uses!, /^[\w.-]+\/[\w.-]+@v\d+$/, `${name}: ${s.uses}`);
  }
});

test("the PR preview is posted as a comment and skipped for fork PRs; the semantic diff needs no secrets", () => {
  const { wf } = workflow("pr");
  const [preview] = pulumiSteps(wf);
  assert.equal(preview.with!.command, "preview");
  assert.equal(preview.with!["comment-on-pr"], true);
  assert.match(wf.jobs.preview.if!, /head\.repo\.full_name == github\.repository/);
  const diff = wf.jobs["semantic-diff"];
  assert.ok(!JSON.stringify(diff).includes("secrets."), "the semantic diff job reads no secret");
  const run = diff.steps.find((s) => s.run?.includes("bin/ops-monitoring diff"))!;
  assert.match(run.run!, /bin\/ops-monitoring diff --base "origin\/\$BASE_REF"/);
  assert.equal(run.env!.BASE_REF, "${{ github.base_ref }}");
  assert.match(run.run!, /GITHUB_STEP_SUMMARY/);
  assert.equal(
    diff.steps.find((s) => s.uses?.startsWith("actions/checkout@"))!.with!["fetch-depth"],
    0,
    "the base branch must be fetched",
  );
});

test("pull requests and deploys run the tests before touching the stack", () => {
  for (const name of ["pr", "deploy"]) {
    const { wf } = workflow(name);
    assert.ok(
      wf.jobs.test.steps.some((s) => s.run === "npm test"),
      name,
    );
    assert.ok(
      wf.jobs.test.steps.some((s) => s.run === "npm ci"),
      name,
    );
  }
  assert.equal(workflow("pr").wf.jobs.preview.needs, "test");
  assert.equal(workflow("deploy").wf.jobs.apply.needs, "test");
});

test("deploy runs pulumi up, annotates Grafana with the deploy tag, then proves the next preview is empty", () => {
  const { wf } = workflow("deploy");
  const apply = wf.jobs.apply.steps;
  const up = apply.findIndex((s) => s.uses?.startsWith("pulumi/actions@") && s.with!.command === "up");
  const annotate = apply.findIndex((s) => s.run?.includes("/api/annotations"));
  const again = apply.findIndex((s) => s.uses?.startsWith("pulumi/actions@") && s.with!.command === "preview");
  assert.ok(up >= 0 && annotate > up && again > annotate);
  assert.match(apply[annotate].run!, new RegExp(`tags: \\["${DEPLOY_ANNOTATION_TAG}"`));
  assert.match(apply[annotate].run!, /Authorization: Bearer \$GRAFANA_DEPLOY_TOKEN/);
  assert.equal(apply[annotate].env!.GRAFANA_DEPLOY_TOKEN, "${{ secrets.GRAFANA_DEPLOY_TOKEN }}");
  assert.equal(apply[up].with!.refresh, true, "hand edits of managed resources are reset");
  assert.equal(apply[again].with!.refresh, true);
  assert.equal(apply[again].with!["expect-no-changes"], true);
});

test("the drift check refreshes, expects no changes and files an issue when it fails", () => {
  const { wf } = workflow("drift");
  const [preview] = pulumiSteps(wf);
  assert.equal(preview.with!.command, "preview");
  assert.equal(preview.with!.refresh, true);
  assert.equal(preview.with!["expect-no-changes"], true);
  const issue = wf.jobs.drift.steps.find((s) => s.run?.includes("gh issue create"))!;
  assert.match(issue.if!, /failure\(\)/);
  assert.match(issue.run!, /gh issue comment/);
});

test("a scheduled job runs the secrets rotation check and files an issue when one is due", () => {
  const job = workflow("drift").wf.jobs["secret-rotation"];
  assert.ok(job.steps.some((s) => s.run?.includes("bin/ops-monitoring secrets")));
  assert.ok(job.steps.some((s) => s.if?.includes("failure()") && s.run?.includes("gh issue create")));
});

test("workflows read only documented secrets and never interpolate event data into shell", () => {
  for (const name of WORKFLOWS) {
    const { text, wf } = workflow(name);
    for (const [, secret] of text.matchAll(/secrets\.([A-Z_]+)/g))
      assert.ok(DOCUMENTED_SECRETS.includes(secret), `${name}: ${secret}`);
    for (const s of steps(wf).filter((s) => s.run))
      assert.doesNotMatch(s.run!, /\$\{\{/, `${name}: ${s.run!.split("\n")[0]}`);
  }
});

test("the PR backtests every alert over the last 7 days, base vs head, with credentials only from secrets", () => {
  const job = workflow("pr").wf.jobs.backtest;
  const step = job.steps.find((s) => s.run?.includes("bin/ops-monitoring backtest"))!;
  assert.match(
    step.run!,
    /bin\/ops-monitoring backtest --base "origin\/\$BASE_REF" --from now-7d --to now --format markdown/,
  );
  assert.match(step.run!, /GITHUB_STEP_SUMMARY/);
  for (const name of ["PROMETHEUS_URL", "PROMETHEUS_USER", "PROMETHEUS_PASSWORD", "PROMETHEUS_TOKEN"])
    assert.equal(step.env![name], `\${{ secrets.${name} }}`);
  assert.equal(
    job.steps.find((s) => s.uses?.startsWith("actions/checkout@"))!.with!["fetch-depth"],
    0,
    "the base branch must be fetched",
  );
});

test("without a PROMETHEUS_URL secret the PR backtest passes and says in one line why it was skipped (fork or no secret)", () => {
  const step = workflow("pr").wf.jobs.backtest.steps.find((s) => s.run?.includes("bin/ops-monitoring backtest"))!;
  const dir = mkdtempSync(join(tmpdir(), "workflow-"));
  try {
    const skipped = (headRepo: string) => {
      const summary = join(dir, `summary-${headRepo.replace("/", "-")}`);
      const r = spawnSync("bash", ["-e", "-c", step.run!], {
        encoding: "utf8",
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          PROMETHEUS_URL: "",
          HEAD_REPO: headRepo,
          GITHUB_REPOSITORY: "acme/prospectpro",
          GITHUB_STEP_SUMMARY: summary,
          BASE_REF: "main",
        },
      });
      assert.equal(r.status, 0, r.stderr);
      return readFileSync(summary, "utf8");
    };
    assert.equal(
      skipped("someone/prospectpro"),
      "Backtest skipped: pull requests from forks get no secrets, so there is no Prometheus to read.\n",
    );
    assert.equal(skipped("acme/prospectpro"), "Backtest skipped: the repository has no PROMETHEUS_URL secret.\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the PR backtest writes its summary, then fails when the head exceeds a noise budget the base kept (exit 3)", () => {
  const step = workflow("pr").wf.jobs.backtest.steps.find((s) => s.run?.includes("bin/ops-monitoring backtest"))!;
  const run = step.run!;
  assert.match(
    run,
    /--format markdown --dashboards > backtest\.md \|\| rc=\$\?\n\s*cat backtest\.md >> "\$GITHUB_STEP_SUMMARY"/,
  );
  assert.match(run, /exit "\$rc"\s*$/);
});
