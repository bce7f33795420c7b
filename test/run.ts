/**
 * `npm test` and `npm run test:unit`: runs the test files in lanes, each file's output printed in
 * one block when it ends, and the static checks (tsc, eslint, prettier) beside the tests rather
 * than before them. Exit 1 if any file or check fails.
 *
 *   node --import tsx test/run.ts [--unit] [--census] [files...]
 *
 * Lanes: `e2e` (test/e2e/: mostly waiting on alert timings, so all at once, each file in its own
 * process), the rest in one shared test process per core (test/worker/: files handed out one at a
 * time, costliest first (lanes.ts queueOrder), so node, tsx and the project load once per process),
 * and `static`, whose checks take a core each before the shared processes do. `--unit` is the
 * inner loop: tsc and the files not listed in lanes.ts as slow. A file still holding a timer or
 * handle `LINGER_S` after its last test fails: it would keep its own process alive. `--census`
 * counts the tests each real tool backs (census/).
 */
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { laneOf, measuredCpu, ownProcess, queueOrder, recordCpu, testFiles, type Lane } from "./lanes";
import { censusEnv, censusReport } from "./census/census";
import { parseMarker } from "./worker/protocol";

const ROOT = join(__dirname, "..");
const LINGER_S = Number(process.env.TEST_LINGER_S ?? 10);
const RESULT_LINE = /^\s*[✔✖﹣]/;
/** node:test prints its summary once the event loop is empty: a leaked timer delays it, process teardown does not. */
const SUMMARY_LINE = /^ℹ tests \d+/;

interface Job {
  name: string;
  lane: Lane | "static";
  argv: string[];
  /** Run as a process of its own, not in a shared test process. */
  own: boolean;
}

interface Result {
  job: Job;
  ok: boolean;
  wallS: number;
  cpuS: number;
  lingerS: number;
  output: string;
}

const args = process.argv.slice(2);
const unit = args.includes("--unit");
const census = args.includes("--census");
const picked = args.filter((a) => !a.startsWith("--"));

const NODE = [
  process.execPath,
  "--no-warnings=ExperimentalWarning",
  "--import",
  "tsx",
  ...(census ? ["--import", join(__dirname, "census", "preload.ts")] : []),
];
const WORKER = [
  ...NODE,
  `--test-reporter=${join(__dirname, "worker", "reporter.ts")}`,
  join(__dirname, "worker", "main.ts"),
];
const bin = (name: string) => join(ROOT, "node_modules", ".bin", name);

/** The static checks and the test files in the order the shared processes take them (lanes.ts queueOrder). */
function jobs(): Job[] {
  const files = picked.length ? picked : testFiles();
  const tests = queueOrder(files, measuredCpu())
    .map((f) => ({ f, lane: laneOf(f) }))
    .filter(({ lane }) => !unit || lane === "tests")
    .map(({ f, lane }) => ({ name: f, lane, own: ownProcess(f), argv: [...NODE, "--test-reporter=spec", f] }));
  if (picked.length) return tests;
  const checks: Job[] = unit
    ? [{ name: "tsc", lane: "static", own: true, argv: [bin("tsc"), "-p", "."] }]
    : [
        // `tsc -p .` and `eslint .` on one TypeScript program: the type analysis once, not twice.
        { name: "tsc + eslint", lane: "static", own: true, argv: [...NODE, join(__dirname, "typecheck-lint.ts")] },
        // Cached by content (node_modules/.cache/prettier): a file unchanged since it passed, with the same
        // Prettier, Node and options, is not formatted again.
        {
          name: "prettier --check",
          lane: "static",
          own: true,
          argv: [bin("prettier"), "--check", "--cache", "--cache-strategy", "content", "."],
        },
      ];
  return [...checks, ...tests];
}

const quote = (argv: string[]) => argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
/**
 * The CPU-bound lanes run at a lower priority than the e2e lane, whose stacks mostly wait but
 * must answer on time (scrapes, evaluations, notifications) when they wake: same total work.
 */
const NICE = "nice -n 5";
/** CPU seconds of the children `sh`'s `times` reports (its second line). */
const childrenCpu = (times: string) =>
  [...(times.trim().split("\n")[1] ?? "").matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (s, m) => s + Number(m[1]) * 60 + Number(m[2]),
    0,
  );

/** Runs `job` in `sh` so the shell's `times` reports the CPU time of the job and everything it waited for. */
function runJob(job: Job, env: NodeJS.ProcessEnv): Promise<Result> {
  const started = Date.now();
  const nice = job.lane === "e2e" ? "" : `${NICE} `;
  const child = spawn("sh", ["-c", `${nice}${quote(job.argv)}; rc=$?; times >&3; exit $rc`], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe", "pipe"],
  });
  let output = "";
  let times = "";
  let lastResult = Date.now();
  let summary: number | undefined;
  let rest = "";
  const onOut = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    output += text;
    const lines = (rest + text).split("\n");
    rest = lines.pop() ?? "";
    if (summary === undefined && lines.some((l) => RESULT_LINE.test(l))) lastResult = Date.now();
    if (summary === undefined && lines.some((l) => SUMMARY_LINE.test(l))) summary = Date.now();
  };
  child.stdout!.on("data", onOut);
  child.stderr!.on("data", onOut);
  (child.stdio[3] as NodeJS.ReadableStream).on("data", (c: Buffer) => (times += c.toString("utf8")));
  return new Promise((resolve) =>
    child.on("close", (code) => {
      const ended = Date.now();
      const cpuS = childrenCpu(times);
      const lingerS = job.lane === "static" ? 0 : ((summary ?? ended) - lastResult) / 1000;
      const lingers = lingerS > LINGER_S;
      if (lingers)
        output += `\n✖ the process stayed alive ${lingerS.toFixed(1)} s after its last test result (limit ${LINGER_S} s): a timer or handle is left open\n`;
      resolve({ job, ok: code === 0 && !lingers, wallS: (ended - started) / 1000, cpuS, lingerS, output });
    }),
  );
}

/** One shared test process (test/worker/main.ts) running files from `queue` until it is empty; its own CPU time. */
function runWorker(queue: Job[], env: NodeJS.ProcessEnv, done: (r: Result) => void): Promise<number> {
  const child = spawn("sh", ["-c", `${NICE} ${quote(WORKER)} 2>&1; rc=$?; times >&3; exit $rc`], {
    cwd: ROOT,
    env,
    stdio: ["pipe", "pipe", "ignore", "pipe"],
  });
  let current: { job: Job; started: number; output: string } | undefined;
  let outside = "";
  let times = "";
  let rest = "";
  let failedFiles = 0;
  const next = () => {
    const job = queue.shift();
    if (job) child.stdin!.write(`${job.name}\n`);
    else child.stdin!.end();
    return job;
  };
  let sent = next();
  child.stdout!.on("data", (chunk: Buffer) => {
    const lines = (rest + chunk.toString("utf8")).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      const mark = parseMarker(line);
      if (mark?.kind === "start" && sent) current = { job: sent, started: Date.now(), output: "" };
      else if (mark?.kind === "end" && current) {
        if (!mark.ok) failedFiles++;
        done({ job: current.job, ok: mark.ok, wallS: mark.wallS, cpuS: mark.cpuS, lingerS: 0, output: current.output });
        current = undefined;
        sent = next();
      } else if (current) current.output += `${line}\n`;
      else outside += `${line}\n`;
    }
  });
  (child.stdio[3] as NodeJS.ReadableStream).on("data", (c: Buffer) => (times += c.toString("utf8")));
  child.stdin!.on("error", () => undefined);
  return new Promise((resolve) =>
    child.on("close", (code) => {
      const tail = rest ? `${rest}\n` : "";
      const lost = current ?? (sent ? { job: sent, started: Date.now(), output: "" } : undefined);
      if (lost) {
        done({
          job: lost.job,
          ok: false,
          wallS: (Date.now() - lost.started) / 1000,
          cpuS: 0,
          lingerS: 0,
          output: `${lost.output}${outside}${tail}\n✖ its test process exited (code ${code}) before the file's tests ended\n`,
        });
      } else if (code !== 0 && failedFiles === 0) {
        const name = "shared test process";
        done({
          job: { name, lane: "tests", own: false, argv: WORKER },
          ok: false,
          wallS: 0,
          cpuS: 0,
          lingerS: 0,
          output: outside + tail,
        });
      }
      resolve(childrenCpu(times));
    }),
  );
}

/** Static checks and the files needing a process of their own first, one a core, then a shared test process a core until the files are done. */
async function cores(
  checks: Job[],
  files: Job[],
  width: number,
  env: NodeJS.ProcessEnv,
  done: (r: Result) => void,
): Promise<number[]> {
  const workers: number[] = [];
  const slot = async (): Promise<void> => {
    for (let check = checks.shift(); check; check = checks.shift()) done(await runJob(check, env));
    while (files.length) workers.push(await runWorker(files, env, done));
  };
  await Promise.all(Array.from({ length: width }, slot));
  return workers;
}

async function pool(queue: Job[], width: number, env: NodeJS.ProcessEnv, done: (r: Result) => void): Promise<void> {
  const next = async (): Promise<void> => {
    const job = queue.shift();
    if (!job) return;
    done(await runJob(job, env));
    return next();
  };
  await Promise.all(Array.from({ length: Math.min(width, queue.length) }, next));
}

async function main(): Promise<number> {
  const started = Date.now();
  const all = jobs();
  const env = census ? censusEnv() : { ...process.env };
  const results: Result[] = [];
  const done = (r: Result) => {
    results.push(r);
    const head = `${r.ok ? "✔" : "✖"} ${r.job.name} (${r.wallS.toFixed(1)} s, cpu ${r.cpuS.toFixed(1)} s)`;
    process.stdout.write(`\n── ${head}\n${r.ok && r.job.lane === "static" ? "" : r.output}`);
  };
  const width = availableParallelism();
  const [, workers] = await Promise.all([
    pool(
      all.filter((j) => j.lane === "e2e"),
      Infinity,
      env,
      done,
    ),
    cores(
      all.filter((j) => j.lane !== "e2e" && j.own),
      all.filter((j) => j.lane !== "e2e" && !j.own),
      width,
      env,
      done,
    ),
  ]);
  const failed = results.filter((r) => !r.ok);
  // Full runs only: a run of some files (test/run.test.ts runs fixtures) does not say what npm test costs.
  if (!picked.length)
    recordCpu(
      Object.fromEntries(
        results.filter((r) => r.job.lane !== "static" && r.ok).map((r) => [r.job.name, Math.round(r.cpuS * 10) / 10]),
      ),
    );
  const wall = (Date.now() - started) / 1000;
  console.log(`\n── slowest`);
  for (const r of [...results].sort((a, b) => b.wallS - a.wallS).slice(0, 12))
    console.log(`  ${r.wallS.toFixed(1).padStart(6)} s  cpu ${r.cpuS.toFixed(1).padStart(5)} s  ${r.job.name}`);
  const shared = workers.reduce((s, c) => s + c, 0);
  const filesCpu = results.filter((r) => !r.job.own).reduce((s, r) => s + r.cpuS, 0);
  const cpu = results.filter((r) => r.job.own).reduce((s, r) => s + r.cpuS, 0) + shared;
  console.log(
    `\n${workers.length} shared test processes: cpu ${shared.toFixed(0)} s, of which their files ${filesCpu.toFixed(0)} s (the rest: start-up and loading)`,
  );
  console.log(
    `${failed.length ? "✖" : "✔"} ${results.length - failed.length} of ${results.length} files and checks passed in ${wall.toFixed(0)} s (cpu ${cpu.toFixed(0)} s on ${width} cores)`,
  );
  for (const r of failed) console.log(`  failed: ${r.job.name}`);
  if (census) censusReport(env);
  return failed.length ? 1 : 0;
}

void main().then((code) => (process.exitCode = code));
