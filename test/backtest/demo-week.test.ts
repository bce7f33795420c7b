/**
 * The demo history (`start --history`, local/history.ts) against the demo catalog as `start`
 * writes it, through `backtest`: quiet except for its six incidents, each incident detected
 * within the detection bound of the alert that caught it, the noise budget failing a PR that
 * makes an alert noisier, and SLO compliance matching figures worked out by hand.
 * Twelve hours instead of a week: the same incidents at the same fractions of the range, built
 * in a fraction of the time.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadCatalogFile } from "../../catalog/load";
import { catalogBounds } from "../../alerts/detection-bounds";
import type { BacktestResult } from "../../backtest/run";
import type { SloReport } from "../../backtest/slo";
import { incidentTimes } from "../../local/history";
import type { HistoryPrometheus } from "../../local/history-prometheus";
import { cli, type CliResult } from "../helpers/cli-in-process";
import type { GitRepo } from "../diff/git-repo";
import { DEMO_YAML, HISTORY, HOUR, historyFixture, type HistoryFixture } from "./history-fixture";

/** Not on a minute: `--from now-7d` never is. */
const FROM_S = 3600 + 17;
const TO_S = 12 * 3600;

let fixture: HistoryFixture | undefined;
let repo: GitRepo;
let prom: HistoryPrometheus;

function backtest(args: string[]): Promise<CliResult> {
  return cli(
    [
      "backtest",
      "--catalog",
      join(repo.dir, "catalog.yaml"),
      "--custom-rules",
      join(repo.dir, "custom"),
      "--prometheus",
      prom.url,
      "--from",
      String(FROM_S),
      "--to",
      String(TO_S),
      ...args,
    ],
    { cwd: repo.dir, env: { PROMETHEUS_USER: "", PROMETHEUS_PASSWORD: "", PROMETHEUS_TOKEN: "" } },
  );
}

let demoRun: Promise<BacktestResult> | undefined;
const demo = () =>
  (demoRun ??= backtest(["--json"]).then((r) => {
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as BacktestResult;
  }));

before(async () => {
  fixture = await historyFixture(DEMO_YAML);
  ({ repo, prom } = fixture);
});

after(() => fixture?.remove());

const key = (a: { alert: string; labels: Record<string, string> }) =>
  `${a.labels.service} ${a.alert} ${a.labels.severity}${a.labels.slo ? ` ${a.labels.slo}` : ""}`;

/** What each of the six incidents (local/history.ts INCIDENTS, in order) is expected to fire, by hand. */
const EXPECTED = [
  ["web ErrorRateHigh P1", "web SloErrorBudgetFastBurn P0 availability", "web SloErrorBudgetSlowBurn P2 availability"],
  // Its 1d slow-burn window holds under 12 hours of history here: 20 slow minutes pass 3x the budget.
  ["api LatencyP95High P1", "api SloErrorBudgetSlowBurn P2 latency"],
  ["web ProbeDown P0", "web SloErrorBudgetFastBurn P0 uptime", "web SloErrorBudgetSlowBurn P2 uptime"],
  ["refresh JobHeartbeatMissing P2"],
  ["assistant ErrorRateHigh P2", "assistant AssistantFailing P3"],
  ["api ErrorRateHigh P1", "api ErrorRateHigh P2", "hunter ExternalApiFailureRateHigh P2"],
];

test("the demo history is quiet except for its six incidents: every episode but the Watchdog's overlaps the incident that explains it", async () => {
  const result = await demo();
  const incidents = incidentTimes(HISTORY);
  const fired = new Set<string>();
  for (const a of result.alerts) {
    if (a.alert === "Watchdog") continue;
    for (const e of a.head!.episodes) {
      const start = Date.parse(e.start);
      // An incident that started before the episode and expects it: a slow burn may outlast its incident by
      // hours, and resumes after a later incident's P0 of its service stopped suppressing it.
      const which = incidents.findIndex(
        (i, n) => start >= i.startMs && start < i.endMs + 6 * HOUR && EXPECTED[n].includes(key(a)),
      );
      assert.ok(which >= 0, `${key(a)} fired at ${e.start}, in no incident`);
      fired.add(key(a));
    }
  }
  assert.deepEqual([...fired].sort(), EXPECTED.flat().sort());
});

test("each incident is detected within the prod detection bound of the alert that fires first (minus group_wait: backtest sees firing, not the notification)", async () => {
  const result = await demo();
  const bounds = new Map(
    catalogBounds(loadCatalogFile(join(repo.dir, "catalog.yaml")), "prod").map((b) => [
      `${b.alert} ${JSON.stringify(Object.entries(b.labels).sort())}`,
      b,
    ]),
  );
  const lines: string[] = [];
  incidentTimes(HISTORY).forEach((incident, i) => {
    const first = result.alerts
      .filter((a) => EXPECTED[i].includes(key(a)))
      .flatMap((a) => a.head!.episodes.map((e) => ({ a, start: Date.parse(e.start) })))
      .filter((x) => x.start >= incident.startMs)
      .sort((x, y) => x.start - y.start)[0];
    assert.ok(first, `incident ${i + 1} (${incident.incident.what}) is detected`);
    const bound = bounds.get(`${first.a.alert} ${JSON.stringify(Object.entries(first.a.labels).sort())}`)!;
    const groupWait = bound.terms.find((t) => t.term === "group_wait")!.ms;
    const tookMs = first.start - incident.startMs;
    lines.push(`${incident.incident.what}: ${key(first.a)} after ${tookMs / 1000}s, bound ${bound.totalMs / 1000}s`);
    assert.ok(tookMs <= bound.totalMs - groupWait, lines.at(-1));
  });
  console.log(lines.join("\n"));
});

test("a PR that makes an alert noisier fails its backtest check: head over the P1 budget, base within, exit 3", async () => {
  // 11 hours: the base pages P1 three times (web errors, API latency, API errors), 45.84/week.
  const budget = DEMO_YAML.replace("P1: { pages_per_week: 3 }", "P1: { pages_per_week: 50 }");
  repo.commit("base with a 12-hour budget", { "catalog.yaml": budget });
  // The head pages P1 on the LLM's error rate too (25% failures, threshold 10%): four pages, 61.12/week.
  writeFileSync(
    join(repo.dir, "catalog.yaml"),
    budget.replace('error_rate: { P2: "10%", for: 10s }', 'error_rate: { P1: "10%", for: 10s }'),
  );
  try {
    const r = await backtest(["--base", "HEAD", "--format", "markdown"]);
    assert.equal(r.status, 3, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /- P1 pages\/week 45.84 → 61.12, budget 50: FAIL \(the head exceeds it, the base kept it\): /,
    );
    assert.match(r.stdout, /assistant ErrorRateHigh ×1/);
    assert.match(r.stdout, /```mermaid\ngantt\n {2}title assistant ErrorRateHigh P1 \(UTC\)\n/);
    // Both over the budget: the check passes with a note.
    writeFileSync(
      join(repo.dir, "catalog.yaml"),
      budget.replace("P1: { pages_per_week: 50 }", "P1: { pages_per_week: 10 }"),
    );
    const both = await backtest(["--base", "HEAD"]);
    assert.equal(both.status, 0, both.stderr);
    assert.match(both.stdout, /P1 pages\/week 45.84 → 45.84, budget 10: exceeded by base and head alike/);
  } finally {
    writeFileSync(join(repo.dir, "catalog.yaml"), DEMO_YAML);
  }
});

test("SLO compliance per month matches the incidents' error minutes worked out by hand", async () => {
  const r = await backtest(["--slo", "--json"]);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as SloReport;
  const rangeMin = (TO_S - FROM_S) / 60;
  // web availability: 30% of requests fail for 40 minutes; uptime: 15 minutes down; api latency: 20 minutes all slow.
  const expected = { availability: (0.3 * 40) / rangeMin, uptime: 15 / rangeMin, latency: 20 / rangeMin };
  assert.deepEqual(report.slos.map((s) => `${s.service} ${s.slo} ${s.month}`).sort(), [
    "api latency 1970-01",
    "web availability 1970-01",
    "web uptime 1970-01",
  ]);
  for (const s of report.slos) {
    const bad = expected[s.slo as keyof typeof expected];
    assert.ok(Math.abs(1 - s.achieved! - bad) < bad * 0.1, `${s.slo}: achieved ${s.achieved}, expected ${1 - bad}`);
    const spent = bad / (1 - s.objective);
    assert.ok(
      Math.abs(s.error_budget_left! - (1 - spent)) < spent * 0.1,
      `${s.slo}: budget left ${s.error_budget_left}`,
    );
  }
});
