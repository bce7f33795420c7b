/**
 * Runs the real command line (`cli/dispatch.ts`, what `bin/ops-monitoring` runs) in this process,
 * capturing what it prints: no tsx start-up per call (render 2.2 s, plan 6 s as a process; tenths
 * of a second in-process after the first). Calls are serialized: console and process.stderr are
 * captured globally (stderr for what plan's worker thread prints; the worker's stdout is not
 * captured, as the test reporter shares process.stdout). A few tests per command still run
 * `bin/ops-monitoring` itself (`BIN`), as the user does.
 */
import { spawn } from "node:child_process";
import { format } from "node:util";
import { main } from "../../cli/dispatch";
import { BIN } from "./catalogs";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** What `spawnSync(BIN, argv, { encoding: "utf8" })` returns, byte for byte on stdout and stderr. */
export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Working directory for the call (default: this process's). */
  cwd?: string;
  /** Variables set (a string) or removed (undefined) for the call. */
  env?: Record<string, string | undefined>;
}

let queue: Promise<unknown> = Promise.resolve();

/** `ops-monitoring <argv>` in-process: its exit code and exactly what it printed to stdout and stderr. */
export function cli(argv: string[], options: CliOptions = {}): Promise<CliResult> {
  const run = queue.then(() => capture(argv, options));
  queue = run.catch(() => undefined);
  return run;
}

async function capture(argv: string[], { cwd, env = {} }: CliOptions): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const line =
    (to: string[]) =>
    (...a: unknown[]) =>
      void to.push(`${format(...a)}\n`);
  const saved = { log: console.log, info: console.info, error: console.error, warn: console.warn };
  const savedEnv = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const savedCwd = process.cwd();
  const stderrWrite = process.stderr.write.bind(process.stderr);
  Object.assign(console, { log: line(out), info: line(out), error: line(err), warn: line(err) });
  process.stderr.write = (chunk: string | Uint8Array) => {
    err.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  };
  setEnv(env);
  if (cwd) process.chdir(cwd);
  try {
    const status = await main(argv);
    return { status, stdout: out.join(""), stderr: err.join("") };
  } finally {
    Object.assign(console, saved);
    process.stderr.write = stderrWrite;
    setEnv(savedEnv);
    process.chdir(savedCwd);
  }
}

function setEnv(env: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

/** The same as `cli`, with stdout and stderr as lines joined without the final newline (the hostile tests' form). */
export async function runCli(argv: string[]): Promise<CliRun> {
  const r = await cli(argv);
  return { code: r.status, stdout: r.stdout.replace(/\n$/, ""), stderr: r.stderr.replace(/\n$/, "") };
}

/** `bin/ops-monitoring <argv>` as a real process, as the user runs it, with `env` applied to this process's. */
export function binary(argv: string[], { cwd, env = {} }: CliOptions = {}): Promise<CliResult> {
  const childEnv = { ...process.env };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete childEnv[k];
    else childEnv[k] = v;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, argv, { cwd, env: childEnv });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status: status ?? 1, stdout, stderr }));
  });
}
