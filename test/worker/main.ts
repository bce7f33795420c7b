/**
 * A shared test process: runs the test files test/run.ts sends on stdin (one path a line), one
 * after another, each required inside a top-level suite named for it, so its tests and hooks
 * are the suite's. Node, tsx and the project's modules load once per process instead of once per
 * file. Prints each file's block between markers (./protocol.ts) with its wall time and CPU time
 * (this process's and its waited-for children's over the file). A file that leaves a timer,
 * socket or process open `TEST_LINGER_S` after its last test fails, as it would keep its own
 * process alive; the next file starts once those are gone or the limit has passed.
 *
 *   node --import tsx --test-reporter=./test/worker/reporter.ts test/worker/main.ts < files
 */
import { describe } from "node:test";
import { readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { endLine, FILE_DONE, startLine, type FileReport } from "./protocol";

const ROOT = join(__dirname, "..", "..");
const LINGER_S = Number(process.env.TEST_LINGER_S ?? 10);
/**
 * What a leak keeps alive (process.getActiveResourcesInfo names, which leave out unref'd handles):
 * timers, servers, child processes, watchers. Connections are not counted: a closed server's
 * accepted sockets stay until read to their end, and the processes and servers behind them are.
 */
const HOLDS = /^(Timeout|Immediate|TCPServerWrap|UDPWrap|ProcessWrap|FSEventWrap|StatWatcher|SignalWrap)$/;

let fileDone: ((r: FileReport) => void) | undefined;
(globalThis as Record<symbol, unknown>)[FILE_DONE] = (r: FileReport) => fileDone?.(r);

/** CPU seconds of this process and of the children it has waited for (Linux: /proc/self/stat cutime + cstime). */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  let children = 0;
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    children = (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    // Not Linux: this process only.
  }
  return (user + system) / 1e6 + children;
}

function holds(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) if (HOLDS.test(r)) counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}

/** What is held now beyond `before`, e.g. `Timeout ×1`; "" when nothing. */
function extra(before: Map<string, number>): string {
  return [...holds()]
    .filter(([r, n]) => n > (before.get(r) ?? 0))
    .map(([r, n]) => `${r} ×${n - (before.get(r) ?? 0)}`)
    .join(", ");
}

async function runFile(file: string): Promise<void> {
  const before = holds();
  const started = Date.now();
  const cpu = cpuSeconds();
  writeSync(1, startLine(file));
  process.env.CENSUS_FILE = file;
  process.env.CENSUS_TEST = `${file}\t(hook)`;
  const report = new Promise<FileReport>((resolve) => (fileDone = resolve));
  void describe(file, () => {
    // Synchronously, inside the suite: the file's tests and hooks become the suite's.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(join(ROOT, file));
  });
  const r = await report;
  const ended = Date.now();
  let left = extra(before);
  while (left && Date.now() - ended < LINGER_S * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    left = extra(before);
  }
  const lines = [...r.lines, `ℹ tests ${r.tests}, failed ${r.failed}\n`];
  if (left)
    lines.push(
      `✖ the file left ${left} open ${LINGER_S} s after its last test result (limit ${LINGER_S} s): it would keep its own process alive\n`,
    );
  writeSync(1, lines.join(""));
  writeSync(1, endLine(file, r.ok && !left, (Date.now() - started) / 1000, cpuSeconds() - cpu));
}

async function main(): Promise<void> {
  for await (const line of createInterface({ input: process.stdin })) if (line.trim()) await runFile(line.trim());
}

void main();
