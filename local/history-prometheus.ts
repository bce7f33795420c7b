/**
 * A Prometheus serving nothing but synthetic history (local/history.ts): no scrapes, no rules (unless its config adds them),
 * blocks copied into a fresh storage dir, retention long enough to keep them whatever their
 * dates. Tests and the benchmark backtest against it.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { answers200 } from "./component";
import { freePorts } from "./supervisor";

const READY_TIMEOUT_MS = 60_000;

export interface HistoryPrometheus {
  url: string;
  stop(): Promise<void>;
}

/** `config`: the prometheus.yml to run with (the benchmark adds rule files; paths in it absolute). */
export async function serveHistory(
  prometheus: string,
  blocksDir: string,
  config = "global: {}\n",
): Promise<HistoryPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), "ops-monitoring-history-"));
  cpSync(blocksDir, join(dir, "data"), { recursive: true });
  writeFileSync(join(dir, "prometheus.yml"), config);
  const [port] = await freePorts(1);
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    prometheus,
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      "--storage.tsdb.retention.time=10y",
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: "ignore" },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await answers200(`${url}/-/ready`))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus on ${url} did not become ready`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop };
}
