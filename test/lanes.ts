/** Which lane a test file runs in; test files are found anew on every run, so a new `*.test.ts` is picked up. */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const ROOT = join(__dirname, "..");

/** `e2e`: whole local stacks waiting on alert timings (run all at once); `slow`: real-tool work left out of `npm run test:unit`. */
export type Lane = "e2e" | "slow" | "tests";

/**
 * Files `npm run test:unit` leaves to `npm test`: each spends over 5 s of CPU (measured with
 * `npm test`'s per-file cpu column), mostly in the real tools, the git history or the binary.
 */
const SLOW = new Set<string>([
  "test/alerts/community-rules.test.ts",
  "test/alerts/semantics.test.ts",
  "test/alerts/verify.test.ts",
  "test/backtest/backtest.test.ts",
  "test/backtest/demo-week.test.ts",
  "test/checks/health-list.test.ts",
  "test/cli/ack.test.ts",
  "test/contract/grafana-rule-evaluation.test.ts",
  "test/contract/grafana-rule-semantics.test.ts",
  "test/contract/grafana-rule-translation.test.ts",
  "test/contract/notification-parity.test.ts",
  "test/contract/provider-facts.test.ts",
  "test/contract/user-contract.test.ts",
  "test/diff/diff.test.ts",
  "test/hostile/property.test.ts",
  "test/hostile/re2-verify.test.ts",
  "test/infra/direct-plan.test.ts",
  "test/infra/grafana-versions.test.ts",
  "test/infra/plan.test.ts",
  "test/rollback.test.ts",
  "test/seed-examples.test.ts",
]);

/**
 * Files that need a process of their own instead of a shared test process (test/worker/): ones
 * that depend on state set when their process starts (an environment variable read once by a
 * thread, a module-level singleton) that a file before them in a shared process would set first.
 */
const OWN_PROCESS = new Set<string>([]);

/** Whether `file` runs in a process of its own (e2e files all do). */
export function ownProcess(file: string): boolean {
  return laneOf(file) === "e2e" || OWN_PROCESS.has(file);
}

/**
 * CPU seconds of the costlier files in `npm test` (its per-file cpu column). The shared processes
 * take files costliest first, so the last files of the run are short ones and both cores finish
 * together; a file not listed costs about a second or less. `npm test` and `test:unit` record what
 * each file cost (MEASURED) and order by that once they have run; these figures order a fresh
 * clone. Only the order depends on them: a stale one makes the end of the run less even, nothing else.
 */
const CPU_S: Record<string, number> = {
  "test/contract/grafana-rule-evaluation.test.ts": 88,
  "test/alerts/verify.test.ts": 39,
  "test/contract/grafana-rule-semantics.test.ts": 35,
  "test/backtest/backtest.test.ts": 25,
  "test/alerts/semantics.test.ts": 15,
  "test/contract/grafana-rule-translation.test.ts": 7,
  "test/infra/grafana-versions.test.ts": 7,
  "test/hostile/property.test.ts": 5,
  "test/contract/provider-facts.test.ts": 5,
  "test/infra/plan.test.ts": 5,
  "test/backtest/demo-week.test.ts": 5,
  "test/alerts/community-rules.test.ts": 5,
  "test/seed-examples.test.ts": 5,
  "test/contract/notification-parity.test.ts": 4,
  "test/verify/identical-tests.test.ts": 4,
  "test/infra/direct-plan.test.ts": 4,
  "test/diff/diff.test.ts": 4,
  "test/contract/user-contract.test.ts": 3,
  "test/alerts/yaml.test.ts": 3,
  "test/infra/grafana-stack.test.ts": 2.5,
  "test/infra/grafana-escalation.test.ts": 2,
  "test/alerts/escalation.test.ts": 2,
};

/**
 * Files of the shared processes that mostly wait (on restarts, back-offs, timeouts: wall several
 * times their CPU). They go first, while the e2e stacks start and want the cores anyway, rather
 * than last, where a waiting file would leave its core idle.
 */
const WAITS = new Set<string>([
  "test/local/component-faults.test.ts",
  "test/local/supervisor.test.ts",
  "test/backtest/hostile-server.test.ts",
]);

/** Where `npm test` keeps each file's CPU seconds from its last runs (file → seconds). */
export const MEASURED = join(ROOT, "node_modules", ".cache", "ops-monitoring", "test-cpu.json");

/** The CPU seconds recorded in MEASURED; none when it is missing or unreadable. */
export function measuredCpu(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(MEASURED, "utf8")) as Record<string, number>;
  } catch {
    return {};
  }
}

/** Adds `cpu` (file → seconds) to MEASURED, keeping the files this run did not run. */
export function recordCpu(cpu: Record<string, number>): void {
  try {
    mkdirSync(dirname(MEASURED), { recursive: true });
    writeFileSync(MEASURED, `${JSON.stringify({ ...measuredCpu(), ...cpu }, null, 1)}\n`);
  } catch {
    // A read-only node_modules: the next run orders by the figures above, as a fresh clone does.
  }
}

/**
 * The order the shared processes take `files` in: waiting files, then costliest first (by
 * `measured` CPU seconds, else CPU_S), then by name.
 */
export function queueOrder(files: string[], measured: Record<string, number> = {}): string[] {
  const rank = (f: string) => (WAITS.has(f) ? Infinity : (measured[f] ?? CPU_S[f] ?? 0));
  return [...files].sort((a, b) => rank(b) - rank(a) || a.localeCompare(b));
}

/** Files outside test/e2e/ that mostly wait (on timers, not on the CPU): they run in the e2e lane. */
const IDLE = new Set<string>(["test/run.test.ts"]);

export function laneOf(file: string): Lane {
  if (file.startsWith("test/e2e/") || IDLE.has(file)) return "e2e";
  return SLOW.has(file) ? "slow" : "tests";
}

/** Every `*.test.ts` under test/, relative to the repository root, sorted. */
export function testFiles(): string[] {
  return readdirSync(join(ROOT, "test"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".test.ts") && !f.split("/").includes("fixtures"))
    .map((f) => relative(ROOT, join(ROOT, "test", f)))
    .sort();
}
