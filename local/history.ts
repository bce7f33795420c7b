/**
 * Synthetic history: a stretch of realistic traffic with incidents for a catalog's services,
 * written as OpenMetrics and turned into TSDB blocks by `promtool tsdb create-blocks-from
 * openmetrics`, so a local Prometheus has days of data to backtest alerts against.
 *
 * Each service is scraped as the local stack scrapes it (`job` = service, `service` label) and
 * produces the demo app's metrics for its kind (local/demo-app.ts); services with a health
 * check get blackbox probe series under their probe job, and the scraped Alertmanager reports
 * no failed notification. The incidents are fixed points of the
 * range, so the same range always gives the same series.
 */
import { execFile } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Catalog, ServiceKind } from "../catalog/model";
import { ALERTMANAGER_JOB, INTEGRATION_LABEL, JOB_LABEL, LABEL, METRIC, probeJob } from "../conventions";
import { DemoMetrics, healthyState, type DemoState, type Role } from "./demo-app";

export const HISTORY_SCRAPE_MS = 60_000;
/**
 * One OpenMetrics file per TSDB block, and 54-hour blocks (the third of the TSDB's block ranges
 * 2h, 6h, 18h, 54h, …; promtool's hidden `--max-block-duration`, aligned to multiples of it since
 * the epoch like these files): promtool (before 2.44) re-reads its whole input for every block it
 * writes, and each call costs a process start-up. A week is 4 or 5 files instead of 85 two-hour ones
 * (promtool 2.42: 21 s CPU → 3 s CPU).
 */
const BLOCK_MS = 54 * 3600_000;
/** Demo-app ticks per scrape; the job succeeds every 10th tick, i.e. at every scrape. */
const TICKS_PER_SCRAPE = 10;
const INSTANCE = "synthetic-history";

const ROLE: Record<ServiceKind, Role | undefined> = {
  frontend: "frontend",
  api: "api",
  "edge-function": "api",
  database: "database",
  job: "job",
  llm: "llm",
  "external-api": undefined,
};

/** A failure injected into the demo metrics of every service of `role` during [at, at + ms). */
export interface Incident {
  /** Position in the range, 0..1. */
  at: number;
  ms: number;
  role: Role;
  what: string;
  apply(state: DemoState, role: Role): void;
}

export const INCIDENTS: Incident[] = [
  {
    at: 0.1,
    ms: 40 * 60_000,
    role: "frontend",
    what: "30% of front-end requests fail",
    apply: (s, r) => (s.errorShare[r] = 0.3),
  },
  {
    at: 0.25,
    ms: 20 * 60_000,
    role: "api",
    what: "API requests take 3 s longer",
    apply: (s, r) => (s.extraLatencyMs[r] = 3000),
  },
  {
    at: 0.4,
    ms: 15 * 60_000,
    role: "frontend",
    what: "front end down (health check and metrics unreachable)",
    apply: (s) => (s.outage = "down"),
  },
  { at: 0.55, ms: 60 * 60_000, role: "job", what: "job stops succeeding", apply: (s) => (s.heartbeatStale = true) },
  { at: 0.7, ms: 30 * 60_000, role: "llm", what: "25% of LLM calls fail", apply: (s, r) => (s.errorShare[r] = 0.25) },
  {
    at: 0.85,
    ms: 25 * 60_000,
    role: "api",
    what: "8% of API requests fail",
    apply: (s, r) => (s.errorShare[r] = 0.08),
  },
];

/** Quota use of the demo external API climbs from this to QUOTA_END over the range, staying below its 80% alert (400 of 500). */
const QUOTA_START = 120;
const QUOTA_END = 350;

export interface HistoryRange {
  startMs: number;
  endMs: number;
}

/** When each incident happens in `range`, start aligned to the scrape interval. */
export function incidentTimes(range: HistoryRange): Array<{ incident: Incident; startMs: number; endMs: number }> {
  return INCIDENTS.map((incident) => {
    const startMs =
      range.startMs + Math.floor(((range.endMs - range.startMs) * incident.at) / HISTORY_SCRAPE_MS) * HISTORY_SCRAPE_MS;
    return { incident, startMs, endMs: startMs + incident.ms };
  });
}

const escape = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const labelText = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${escape(v)}"`)
    .join(",");

/** `name{a="b"} 1` from the demo app's exposition → `name{<extra>,a="b"} 1 <seconds>`. */
function stamp(line: string, extra: string, seconds: number): string {
  const brace = line.indexOf("{");
  const space = line.lastIndexOf(" ");
  if (brace < 0 || brace > space) return `${line.slice(0, space)}{${extra}}${line.slice(space)} ${seconds}`;
  const close = line.lastIndexOf("}");
  const inner = line.slice(brace + 1, close);
  return `${line.slice(0, brace)}{${extra}${inner ? `,${inner}` : ""}}${line.slice(close + 1)} ${seconds}`;
}

interface Source {
  service: string;
  role: Role;
  metrics: DemoMetrics;
  probe?: { job: string; url: string };
  clock: { now: number };
}

/**
 * Writes the OpenMetrics history of `catalog`'s services for [startMs, endMs] into `dir`, one
 * sample per series per minute, one file per block; returns the files and the number of samples.
 * `onFile` is called with each file once it is complete.
 */
export function writeHistory(
  catalog: Catalog,
  range: HistoryRange,
  dir: string,
  onFile: (file: string) => void = () => {},
): { files: string[]; samples: number } {
  const sources: Source[] = [];
  for (const svc of catalog.services) {
    const role = ROLE[svc.kind];
    if (!role) continue;
    const clock = { now: range.startMs };
    sources.push({
      service: svc.name,
      role,
      metrics: new DemoMetrics(() => clock.now),
      clock,
      ...(svc.health.length ? { probe: { job: probeJob(svc.name), url: svc.health[0].url } } : {}),
    });
  }
  const incidents = incidentTimes(range);
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  let fd: number | undefined;
  let block = Number.NaN;
  let samples = 0;
  try {
    for (let t = range.startMs; t <= range.endMs; t += HISTORY_SCRAPE_MS) {
      if (Math.floor(t / BLOCK_MS) !== block) {
        if (fd !== undefined) {
          writeSync(fd, "# EOF\n");
          closeSync(fd);
          fd = undefined;
          onFile(files[files.length - 1]);
        }
        block = Math.floor(t / BLOCK_MS);
        files.push(join(dir, `history-${String(files.length).padStart(4, "0")}.om`));
        fd = openSync(files[files.length - 1], "w");
      }
      const lines: string[] = [];
      const seconds = t / 1000;
      for (const src of sources) {
        Object.assign(src.metrics.state, healthyState(), {
          quotaUsed: Math.round(
            QUOTA_START + ((QUOTA_END - QUOTA_START) * (t - range.startMs)) / Math.max(1, range.endMs - range.startMs),
          ),
        });
        for (const i of incidents)
          if (i.incident.role === src.role && t >= i.startMs && t < i.endMs)
            i.incident.apply(src.metrics.state, src.role);
        for (let k = TICKS_PER_SCRAPE - 1; k >= 0; k--) {
          src.clock.now = t - (k * HISTORY_SCRAPE_MS) / TICKS_PER_SCRAPE;
          src.metrics.tick(undefined, [src.role]);
        }
        const extra = labelText({ [JOB_LABEL]: src.service, instance: INSTANCE, [LABEL.service]: src.service });
        const reachable = src.metrics.state.outage !== "down" || src.role !== "frontend";
        lines.push(stamp(`up ${reachable ? 1 : 0}`, extra, seconds));
        if (reachable)
          for (const l of src.metrics.text(src.role).split("\n"))
            if (l && !l.startsWith("#")) lines.push(stamp(l, extra, seconds));
        if (src.probe) {
          const up = src.metrics.state.outage === "none" ? 1 : 0;
          const probe = labelText({
            [JOB_LABEL]: src.probe.job,
            instance: src.probe.url,
            [LABEL.service]: src.service,
          });
          lines.push(
            `probe_success{${probe}} ${up} ${seconds}`,
            `probe_duration_seconds{${probe}} ${up ? 0.05 : 2} ${seconds}`,
          );
        }
      }
      // The Alertmanager the local stack scrapes, delivering every notification.
      lines.push(
        `${METRIC.amNotificationsFailed}{${labelText({ [JOB_LABEL]: ALERTMANAGER_JOB, instance: INSTANCE, [INTEGRATION_LABEL]: "webhook" })}} 0 ${seconds}`,
      );
      samples += lines.length;
      writeSync(fd!, lines.join("\n") + "\n");
    }
    if (fd !== undefined) {
      writeSync(fd, "# EOF\n");
      closeSync(fd);
      fd = undefined;
      onFile(files[files.length - 1]);
    }
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return { files, samples };
}

/**
 * `promtool tsdb create-blocks-from openmetrics <file> <dir>`, two at a time: `add` a file as soon as
 * it is written, `done` resolves when every added file is a block (rejects on the first failure).
 */
function blockBuilder(promtool: string, dir: string): { add(file: string): void; done(): Promise<void> } {
  const run = promisify(execFile);
  const queue: string[] = [];
  let running = 0;
  let failure: Error | undefined;
  let idle: (() => void) | undefined;
  const next = () => {
    while (running < 2 && queue.length && failure === undefined) {
      const file = queue.shift()!;
      running++;
      run(
        promtool,
        [
          "tsdb",
          "create-blocks-from",
          `--max-block-duration=${BLOCK_MS / 3600_000}h`,
          "openmetrics",
          "--quiet",
          file,
          dir,
        ],
        { maxBuffer: 16 * 1024 * 1024 },
      ).then(
        () => {
          running--;
          next();
        },
        (e: unknown) => {
          running--;
          failure ??= e instanceof Error ? e : new Error(String(e));
          next();
        },
      );
    }
    if (running === 0) idle?.();
  };
  return {
    add(file) {
      queue.push(file);
      next();
    },
    async done() {
      if (running > 0) await new Promise<void>((r) => (idle = r));
      if (failure !== undefined) throw failure;
    },
  };
}

/**
 * The history of `catalog` over `range` as TSDB blocks in `<dir>/blocks`: each OpenMetrics file
 * (in `<dir>/openmetrics`) goes to promtool while the next one is written. The files are removed
 * afterwards unless `keepOpenMetrics` (then returned as `files`).
 */
export async function writeBlocks(
  catalog: Catalog,
  range: HistoryRange,
  dir: string,
  promtool: string,
  options: { keepOpenMetrics?: boolean } = {},
): Promise<{ blocks: string; samples: number; files?: string[] }> {
  const builder = blockBuilder(promtool, join(dir, "blocks"));
  const { files, samples } = writeHistory(catalog, range, join(dir, "openmetrics"), (f) => builder.add(f));
  await builder.done();
  if (options.keepOpenMetrics) return { blocks: join(dir, "blocks"), samples, files };
  rmSync(join(dir, "openmetrics"), { recursive: true, force: true });
  return { blocks: join(dir, "blocks"), samples };
}

/**
 * `start --history D`: D of synthetic history up to the last whole minute before now, as TSDB
 * blocks in a temp dir for the local Prometheus to start with; `cleanup` removes them.
 */
export async function buildHistory(
  catalog: Catalog,
  ms: number,
  promtool: string,
): Promise<{ blocks: string; samples: number; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), "ops-monitoring-history-"));
  try {
    const endMs = Math.floor(Date.now() / HISTORY_SCRAPE_MS) * HISTORY_SCRAPE_MS - HISTORY_SCRAPE_MS;
    const { blocks, samples } = await writeBlocks(catalog, { startMs: endMs - ms, endMs }, dir, promtool);
    return { blocks, samples, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
