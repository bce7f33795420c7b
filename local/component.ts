/**
 * One supervised child process of local mode: started in its own process group with output
 * appended to a log file, watched through its health endpoint (a process that hangs without
 * exiting is killed), restarted with exponential back-off when it dies, and stopped with
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
  /** URL answering 200 while the component is alive (`/-/healthy`); polled to notice hangs. */
  healthUrl?: string;
  logFile: string;
}

/** How a component is watched and restarted; every field has a default fit for a laptop. */
export interface Supervision {
  /** Consecutive restarts allowed before giving up. Default 5. */
  maxRestarts: number;
  /** Delay before the first restart, doubled for each further one. Default 500ms. */
  backoffMs: number;
  /** Longest delay between restarts. Default 8s. */
  maxBackoffMs: number;
  /** A process that ran this long before dying starts a fresh restart budget. Default 30s. */
  stableMs: number;
  /** Health check period. Default 2s. */
  healthEveryMs: number;
  /** A health check not answered 200 within this fails. Default 3s. */
  healthTimeoutMs: number;
  /** Consecutive failed health checks after which the process counts as hung and is killed. Default 3. */
  healthFailures: number;
  /** Health checks only count once the process answered one, or this long after it was spawned. Default 60s. */
  startGraceMs: number;
}

export const DEFAULT_SUPERVISION: Supervision = {
  maxRestarts: 5,
  backoffMs: 500,
  maxBackoffMs: 8000,
  stableMs: 30_000,
  healthEveryMs: 2000,
  healthTimeoutMs: 3000,
  healthFailures: 3,
  startGraceMs: 60_000,
};

export interface ComponentOptions {
  log: (line: string) => void;
  supervision?: Partial<Supervision>;
  /** Called once when the component died more often than `maxRestarts` in a row. */
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

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)}s`;

export class Component {
  private child?: ChildProcess;
  private stopping = false;
  private restarts = 0;
  private startedAt = 0;
  private exited: Promise<void> = Promise.resolve();
  private restartTimer?: NodeJS.Timeout;
  private healthTimer?: NodeJS.Timeout;
  /** Whether the current process answered its ready or health endpoint at least once. */
  private answered = false;
  /** Why the current process was killed by the supervisor (it hung), if it was. */
  private hung?: string;
  private failure?: Error;
  private readonly s: Supervision;

  constructor(
    readonly spec: ComponentSpec,
    private readonly options: ComponentOptions,
  ) {
    this.s = { ...DEFAULT_SUPERVISION, ...options.supervision };
  }

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
    this.startedAt = Date.now();
    this.answered = false;
    this.hung = undefined;
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        resolve();
        clearTimeout(this.healthTimer);
        if (!this.stopping) this.crashed(this.hung ?? (code === null ? `signal ${signal}` : `exit code ${code}`));
      });
      child.once("error", (e) => {
        resolve();
        clearTimeout(this.healthTimer);
        if (!this.stopping) this.crashed(e.message);
      });
    });
    if (this.spec.healthUrl) this.watch(child, this.spec.healthUrl);
  }

  /** Polls `url` while `child` runs; kills its group after `healthFailures` failed checks in a row. */
  private watch(child: ChildProcess, url: string): void {
    let failures = 0;
    const check = async () => {
      if (this.stopping || this.child !== child || child.exitCode !== null || child.signalCode !== null) return;
      if (await answers200(url, this.s.healthTimeoutMs)) {
        this.answered = true;
        failures = 0;
      } else if (this.answered || Date.now() - this.startedAt >= this.s.startGraceMs) {
        failures++;
      }
      if (this.stopping || this.child !== child || child.exitCode !== null || child.signalCode !== null) return;
      if (failures >= this.s.healthFailures) {
        this.hung = `hung: ${url} unanswered ${failures} times in a row`;
        this.options.log(
          `${this.spec.name} does not answer ${url} (${failures} checks, ${seconds(this.s.healthTimeoutMs)} timeout each); killing it`,
        );
        signalGroup(child.pid!, "SIGKILL");
        return;
      }
      this.healthTimer = setTimeout(() => void check(), this.s.healthEveryMs);
    };
    this.healthTimer = setTimeout(() => void check(), this.s.healthEveryMs);
  }

  private crashed(how: string): void {
    const { maxRestarts: max, stableMs, backoffMs, maxBackoffMs } = this.s;
    if (Date.now() - this.startedAt >= stableMs) this.restarts = 0;
    const tail = logTail(this.spec.logFile);
    if (this.restarts >= max) {
      this.failure = new Error(
        `${this.spec.name} stopped (${how}) after ${max} restarts in a row; log ${this.spec.logFile}${tail ? `:\n${tail}` : ""}`,
      );
      this.options.onGiveUp(this.failure);
      return;
    }
    this.restarts++;
    const delayMs = Math.min(backoffMs * 2 ** (this.restarts - 1), maxBackoffMs);
    this.options.log(
      `${this.spec.name} stopped (${how}); restarting in ${delayMs}ms (${this.restarts}/${max}); log ${this.spec.logFile}`,
    );
    this.restartTimer = setTimeout(() => this.start(), delayMs);
  }

  /** Resolves once `readyUrl` answers 200; rejects after `timeoutMs`, when restarts are exhausted or once the component is stopped. */
  async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.failure) throw this.failure;
      if (this.stopping) throw new Error(`${this.spec.name} was stopped before it became ready`);
      if (await answers200(this.spec.readyUrl)) {
        this.answered = true;
        return;
      }
      await sleep(200);
    }
    throw new Error(
      `${this.spec.name} did not become ready at ${this.spec.readyUrl} within ${timeoutMs}ms; log ${this.spec.logFile}:\n${logTail(this.spec.logFile)}`,
    );
  }

  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves when the process has exited. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    clearTimeout(this.healthTimer);
    const pid = this.pid;
    if (pid === undefined) return;
    signalGroup(pid, "SIGTERM");
    // A stopped (SIGSTOP) process only acts on SIGTERM once continued.
    signalGroup(pid, "SIGCONT");
    const killer = setTimeout(() => signalGroup(pid, "SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(killer);
    // Anything the component itself started in its group goes too.
    signalGroup(pid, "SIGKILL");
  }

  /** Last-resort synchronous kill (process exit handlers cannot wait). */
  kill(): void {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    clearTimeout(this.healthTimer);
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
