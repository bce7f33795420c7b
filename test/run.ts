/**
 * `npm test` and `npm run test:unit`: runs the test files in lanes, each file in its own process,
 * its output printed in one block when it ends, and the static checks (tsc, eslint, prettier)
 * beside the tests rather than before them. Exit 1 if any file or check fails.
 *
 *   node --import tsx test/run.ts [--unit] [--census] [files...]
 *
 * Lanes: `e2e` (test/e2e/: mostly waiting on alert timings, so all at once), `tests` (the rest,
 * one per core) and `static`. `--unit` is the inner loop: tsc and the files not listed in
 * lanes.ts as slow. A file still running `LINGER_S` after its last test result fails: a leaked
 * timer or handle keeps it alive. `--census` counts the tests each real tool backs (census/).
 */
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { laneOf, testFiles, type Lane } from "./lanes";
import { censusEnv, censusReport } from "./census/census";

const ROOT = join(__dirname, "..");
const LINGER_S = Number(process.env.TEST_LINGER_S ?? 10);
const RESULT_LINE = /^\s*[✔✖﹣]/;
/** node:test prints its summary once the event loop is empty: a leaked timer delays it, process teardown does not. */
const SUMMARY_LINE = /^ℹ tests \d+/;

interface Job {
  name: string;
  lane: Lane | "static";
  argv: string[];
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

const NODE = [process.execPath, "--no-warnings=ExperimentalWarning", "--import", "tsx"];
const bin = (name: string) => join(ROOT, "node_modules", ".bin", name);

function jobs(): Job[] {
  const files = picked.length ? picked : testFiles();
  const tests = files
    .map((f) => ({ f, lane: laneOf(f) }))
    .filter(({ lane }) => !unit || lane === "tests")
    .map(({ f, lane }) => ({
      name: f,
      lane,
      argv: [
        ...NODE,
        ...(census ? ["--import", join(__dirname, "census", "preload.ts")] : []),
        "--test-reporter=spec",
        f,
      ],
    }));
  if (picked.length) return tests;
  const checks: Job[] = [{ name: "tsc", lane: "static", argv: [bin("tsc"), "-p", "."] }];
  if (!unit)
    checks.push(
      { name: "eslint", lane: "static", argv: [bin("eslint"), "."] },
      { name: "prettier --check", lane: "static", argv: [bin("prettier"), "--check", "."] },
    );
  return [...checks, ...tests];
}

/** Runs `job` in `sh` so the shell's `times` reports the CPU time of the job and everything it waited for. */
function runJob(job: Job, env: NodeJS.ProcessEnv): Promise<Result> {
  const started = Date.now();
  const quoted = job.argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  const child = spawn("sh", ["-c", `${quoted}; rc=$?; times >&3; exit $rc`], {
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
      const children = times.trim().split("\n")[1] ?? "";
      const cpuS = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((s, m) => s + Number(m[1]) * 60 + Number(m[2]), 0);
      const lingerS = job.lane === "static" ? 0 : ((summary ?? ended) - lastResult) / 1000;
      const lingers = lingerS > LINGER_S;
      if (lingers)
        output += `\n✖ the process stayed alive ${lingerS.toFixed(1)} s after its last test result (limit ${LINGER_S} s): a timer or handle is left open\n`;
      resolve({ job, ok: code === 0 && !lingers, wallS: (ended - started) / 1000, cpuS, lingerS, output });
    }),
  );
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
  const cores = availableParallelism();
  await Promise.all([
    pool(
      all.filter((j) => j.lane === "e2e"),
      Infinity,
      env,
      done,
    ),
    pool(
      all.filter((j) => j.lane !== "e2e"),
      cores,
      env,
      done,
    ),
  ]);
  const failed = results.filter((r) => !r.ok);
  const wall = (Date.now() - started) / 1000;
  console.log(`\n── slowest`);
  for (const r of [...results].sort((a, b) => b.wallS - a.wallS).slice(0, 12))
    console.log(`  ${r.wallS.toFixed(1).padStart(6)} s  cpu ${r.cpuS.toFixed(1).padStart(5)} s  ${r.job.name}`);
  const cpu = results.reduce((s, r) => s + r.cpuS, 0);
  console.log(
    `\n${failed.length ? "✖" : "✔"} ${results.length - failed.length} of ${results.length} files and checks passed in ${wall.toFixed(0)} s (cpu ${cpu.toFixed(0)} s on ${cores} cores)`,
  );
  for (const r of failed) console.log(`  failed: ${r.job.name}`);
  if (census) censusReport(env);
  return failed.length ? 1 : 0;
}

void main().then((code) => (process.exitCode = code));
