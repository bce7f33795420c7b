/**
 * The offline verification of rendered artifacts with the real tools: promtool (config,
 * rules, generated unit tests), amtool (config, one route test per severity, escalation and
 * policy), the blackbox exporter's config check, and a PromQL parse of every dashboard query.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { Catalog, Policy, Severity } from "../catalog/model";
import { formatDuration, SEVERITIES } from "../catalog/units";
import { promqlError } from "../catalog/promql";
import { NO_RECEIVER, policyMatchers } from "../alerts/alertmanager";
import type { RuleGroup } from "../alerts/model";
import { renderRuleTests } from "../alerts/rule-tests";
import { LABEL, WATCHDOG_ALERT } from "../conventions";
import { panelQueries } from "../dashboards";
import { currentPlatform, installCommand } from "../local/binaries";
import { identicalTests, rulesFileOf } from "./identical-tests";
import { findBinary, toolPool, type ToolPool, type Tool } from "./tools";

export interface CheckResult {
  name: string;
  ok: boolean;
  /** One line on success, the tool's output on failure. */
  detail: string;
}

/** Most test files one `promtool test rules` run gets (runs are split further to use every core). */
const TEST_BATCH = 400;
const CORES = availableParallelism();

/** Called before each step with what it is about to do (`promtool test rules 400/5689`). */
export type Progress = (step: string) => void;

export async function runChecks(
  dir: string,
  catalog: Catalog,
  groups: RuleGroup[],
  ruleFiles: string[],
  progress: Progress = () => undefined,
): Promise<CheckResult[]> {
  const bins = {} as Record<Tool, string>;
  const missing: Tool[] = [];
  for (const tool of ["promtool", "amtool", "blackbox"] as const) {
    const b = findBinary(tool);
    if (b) bins[tool] = b;
    else missing.push(tool);
  }
  if (missing.length) {
    return [
      {
        name: "tools",
        ok: false,
        detail: `${missing.join(", ")} not found on PATH; install them: ${installCommand(missing, currentPlatform())}`,
      },
    ];
  }
  // Every tool run goes through one pool, one run per core; results keep this order.
  const pool = toolPool(CORES);
  const tool = async (name: string, bin: string, args: string[], summary: string): Promise<CheckResult> => {
    const r = await pool(bin, args, dir, () => progress(name));
    return { name, ok: r.ok, detail: r.ok ? summary : r.output.trim() };
  };
  const results = await Promise.all([
    tool(
      "promtool check config",
      bins.promtool,
      ["check", "config", "prometheus/prometheus.yml"],
      "prometheus/prometheus.yml",
    ),
    tool("promtool check rules", bins.promtool, ["check", "rules", ...ruleFiles], `${ruleFiles.length} rule files`),
    tool(
      "amtool check-config",
      bins.amtool,
      ["check-config", "alertmanager/alertmanager.yml"],
      "alertmanager/alertmanager.yml",
    ),
    tool(
      "blackbox --config.check",
      bins.blackbox,
      ["--config.check", "--config.file", "blackbox/blackbox.yml"],
      "blackbox/blackbox.yml",
    ),
    ruleTestsCheck(dir, groups, bins.promtool, progress, pool),
    routeTests(dir, catalog, bins.amtool, progress, pool),
  ]);
  progress("dashboard queries parse");
  return [...results.flat(), dashboardQueries(catalog)];
}

/**
 * Every generated `promtool test rules` case of `groups`, written under `dir/rule-tests`: the
 * tests identical to another's up to the service name (verify/identical-tests.ts) are proven by its
 * run, and run themselves when it fails.
 */
export async function ruleTestsCheck(
  dir: string,
  groups: RuleGroup[],
  promtool: string,
  progress: Progress = () => undefined,
  pool: ToolPool = toolPool(CORES),
): Promise<CheckResult> {
  const { files, tests, untested, services } = renderRuleTests(groups);
  const { run, proves } = identicalTests(files, tests, services);
  const testDir = join(dir, "rule-tests");
  mkdirSync(testDir, { recursive: true });
  const write = (list: string[]) => {
    for (const test of list) for (const f of [test, rulesFileOf(test)]) writeFileSync(join(testDir, f), files[f]);
  };
  write(run);
  const failed = await promtoolTests(testDir, run, promtool, progress, pool);
  // A failing test fails for every test it proves: run those too, so the report names each alert.
  const proven = failed.flatMap((f) => f.tests.flatMap((t) => proves.get(t) ?? []));
  write(proven);
  const failures = [...failed, ...(await promtoolTests(testDir, proven, promtool, progress, pool))].map(
    (f) => f.output,
  );
  const identical = tests.length - run.length;
  const note = [
    ...(identical
      ? [
          `${identical} alerts proven by an identical test of ${proves.size} (the same test with the service name renamed)`,
        ]
      : []),
    ...(untested.length ? [`without generated test (hand-written): ${untested.join(", ")}`] : []),
  ];
  return {
    name: "promtool test rules",
    ok: failures.length === 0,
    detail: failures.length
      ? failures.join("\n")
      : `${tests.length} alerts fire on matching series and stay quiet otherwise${note.map((n) => `; ${n}`).join("")}`,
  };
}

/** `promtool test rules` on `tests` in batches, at least one per core; the failing batches with promtool's report, in order. */
async function promtoolTests(
  dir: string,
  tests: string[],
  promtool: string,
  progress: Progress,
  pool: ToolPool,
): Promise<Array<{ tests: string[]; output: string }>> {
  const size = Math.max(1, Math.min(TEST_BATCH, Math.ceil(tests.length / CORES)));
  const batches: string[][] = [];
  for (let i = 0; i < tests.length; i += size) batches.push(tests.slice(i, i + size));
  let started = 0;
  const runs = await Promise.all(
    batches.map(async (batch) => {
      const r = await pool(promtool, ["test", "rules", ...batch], dir, () => {
        progress(`promtool test rules ${started}/${tests.length} alerts`);
        started += batch.length;
      });
      const output = r.output
        .split("\n")
        .filter((l) => !/^\s*SUCCESS\s*$|^Unit Testing: |^\s*$/.test(l))
        .join("\n");
      return { tests: batch, ok: r.ok, output };
    }),
  );
  return runs.filter((r) => !r.ok);
}

function routeTests(
  dir: string,
  catalog: Catalog,
  amtool: string,
  progress: Progress,
  pool: ToolPool,
): Promise<CheckResult[]> {
  const expect = (severity: Severity) =>
    catalog.alerting.routes[severity].length ? catalog.alerting.routes[severity] : [NO_RECEIVER];
  const cases: Array<{ name: string; labels: string[]; receivers: string[] }> = SEVERITIES.map((s) => ({
    name: `route ${s}`,
    labels: [`severity=${s}`, "service=routing-test", "alertname=RoutingTest"],
    receivers: expect(s),
  }));
  cases.push({
    name: `route ${WATCHDOG_ALERT}`,
    labels: [`alertname=${WATCHDOG_ALERT}`, `${LABEL.alert}=${WATCHDOG_ALERT}`, "severity=P3"],
    receivers: [catalog.alerting.watchdog ?? NO_RECEIVER],
  });
  for (const e of catalog.alerting.escalations) {
    cases.push({
      name: `escalation ${e.severity}`,
      labels: [
        `severity=${e.severity}`,
        `${LABEL.escalation}=${formatDuration(e.afterMs)}`,
        "service=routing-test",
        "alertname=RoutingTest",
      ],
      receivers: e.to,
    });
  }
  catalog.alerting.policies.forEach((p, i) => {
    const labels = policyMatchers(p.match);
    const has = (q: Policy) => policyMatchers(q.match).every(([k, v]) => labels.some(([l, w]) => l === k && w === v));
    const first = catalog.alerting.policies.find(has)!;
    cases.push({
      name: `policy #${i + 1}`,
      labels: ["severity=P1", "alertname=RoutingTest", ...labels.map(([k, v]) => `${k}=${v}`)],
      receivers: first.to,
    });
  });
  return Promise.all(
    cases.map(async (c) => {
      const r = await pool(
        amtool,
        [
          "config",
          "routes",
          "test",
          "--config.file=alertmanager/alertmanager.yml",
          `--verify.receivers=${c.receivers.join(",")}`,
          ...c.labels,
        ],
        dir,
        () => progress(`amtool ${c.name}`),
      );
      return {
        name: `amtool ${c.name}`,
        ok: r.ok,
        detail: r.ok ? `→ ${c.receivers.join(", ")}` : `expected ${c.receivers.join(", ")}: ${r.output.trim()}`,
      };
    }),
  );
}

function dashboardQueries(catalog: Catalog): CheckResult {
  const service = catalog.services[0]?.name ?? "example";
  const queries = panelQueries(catalog, { service });
  const bad = queries.map((q) => ({ q, err: promqlError(q.expr) })).filter((x) => x.err);
  return {
    name: "dashboard queries parse",
    ok: bad.length === 0,
    detail: bad.length
      ? bad.map(({ q, err }) => `${q.dashboard} / ${q.panel}: ${err}`).join("\n")
      : `${queries.length} panel queries`,
  };
}
