/**
 * One supervised child process of local mode: started in its own process group with output
 * appended to a log file, restarted a bounded number of times when it dies, stopped with
 * SIGTERM to the group and SIGKILL after a grace period.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";

export interface ComponentSpec {
  name: string;
  command: string;
  args: string[];
  /** URL answering 200 once the component is ready (`/-/ready`). */
  readyUrl: string;
  logFile: string;
}

export interface ComponentOptions {
  log: (line: string) => void;
  /** Restarts allowed after unexpected exits before giving up. Default 3. */
  maxRestarts?: number;
  /** Called once when the component died more often than `maxRestarts`. */
  onGiveUp: (error: Error) => void;
}

/** The last `lines` lines of a log file, for error messages. */
export function logTail(file: string, lines = 8): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

export class Component {
  private child?: ChildProcess;
  private stopping = false;
  private restarts = 0;
  private exited: Promise<void> = Promise.resolve();
  private restartTimer?: NodeJS.Timeout;
  private failure?: Error;

  constructor(readonly spec: ComponentSpec, private readonly options: ComponentOptions) {}

  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  /** Spawns the process; a no-op once `stop` or `kill` was called. */
  start(): void {
    if (this.stopping) return;
    const fd = openSync(this.spec.logFile, "a");
    const child = spawn(this.spec.command, this.spec.args, { detached: true, stdio: ["ignore", fd, fd] });
    closeSync(fd);
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        resolve();
        if (!this.stopping) this.crashed(code === null ? `signal ${signal}` : `exit code ${code}`);
      });
      child.once("error", (e) => {
        resolve();
        if (!this.stopping) this.crashed(e.message);
      });
    });
  }

  private crashed(how: string): void {
    const max = this.options.maxRestarts ?? 3;
    const tail = logTail(this.spec.logFile);
    if (this.restarts >= max) {
      this.failure = new Error(`${this.spec.name} stopped (${how}) after ${max} restarts; log ${this.spec.logFile}${tail ? `:\n${tail}` : ""}`);
      this.options.onGiveUp(this.failure);
      return;
    }
    this.restarts++;
    const delayMs = 500 * this.restarts;
    this.options.log(`${this.spec.name} stopped (${how}); restarting in ${delayMs}ms (${this.restarts}/${max}); log ${this.spec.logFile}`);
    this.restartTimer = setTimeout(() => this.start(), delayMs);
  }

  /** Resolves once `readyUrl` answers 200; rejects after `timeoutMs` or when restarts are exhausted. */
  async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.failure) throw this.failure;
      if (await answers200(this.spec.readyUrl)) return;
      await sleep(200);
    }
    throw new Error(`${this.spec.name} did not become ready at ${this.spec.readyUrl} within ${timeoutMs}ms; log ${this.spec.logFile}:\n${logTail(this.spec.logFile)}`);
  }

  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves when the process has exited. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const pid = this.pid;
    if (pid === undefined) return;
    signalGroup(pid, "SIGTERM");
    const killer = setTimeout(() => signalGroup(pid, "SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(killer);
    // Anything the component itself started in its group goes too.
    signalGroup(pid, "SIGKILL");
  }

  /** Last-resort synchronous kill (process exit handlers cannot wait). */
  kill(): void {
    this.stopping = true;
    const pid = this.pid;
    if (pid !== undefined) signalGroup(pid, "SIGKILL");
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function answers200(url: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}
