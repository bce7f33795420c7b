/**
 * How long an outage can take to reach a notification under a rendered config: probe
 * interval + rule evaluation interval + the probe alert's `for` + Alertmanager's group_wait,
 * all read from the artifacts themselves so the figure matches what actually runs.
 */
import { parse } from "yaml";
import type { Artifacts } from "../artifacts";
import { parseDuration } from "../catalog/units";
import { LABEL, probeJob } from "../conventions";

export interface DetectionBound {
  probeIntervalMs: number;
  evaluationIntervalMs: number;
  forMs: number;
  groupWaitMs: number;
  totalMs: number;
}

const ms = (v: unknown, what: string): number => {
  const d = typeof v === "string" ? parseDuration(v) : undefined;
  if (d === undefined) throw new Error(`rendered config has no duration for ${what} (got ${String(v)})`);
  return d;
};

interface RuleFile {
  groups?: Array<{
    interval?: string;
    rules?: Array<{ alert?: string; for?: string; labels?: Record<string, string> }>;
  }>;
}

/** The bound for the probe-down alert of `service`; throws when the artifacts have no such probe. */
export function probeDetectionBound(artifacts: Artifacts, service: string): DetectionBound {
  const prom = parse(artifacts["prometheus/prometheus.yml"]) as {
    global: { scrape_interval: string; evaluation_interval: string };
    scrape_configs: Array<{ job_name: string; scrape_interval?: string }>;
  };
  const job = prom.scrape_configs.find((j) => j.job_name === probeJob(service));
  if (!job) throw new Error(`service ${service} has no health check in the rendered prometheus.yml`);
  const probeIntervalMs = ms(job.scrape_interval ?? prom.global.scrape_interval, `${job.job_name} scrape_interval`);
  let evaluationIntervalMs = ms(prom.global.evaluation_interval, "global.evaluation_interval");
  let forMs: number | undefined;
  for (const [path, text] of Object.entries(artifacts)) {
    if (!path.startsWith("prometheus/rules/")) continue;
    for (const g of (parse(text) as RuleFile).groups ?? []) {
      const rule = g.rules?.find(
        (r) => r.labels?.[LABEL.signal] === "probe" && r.labels?.[LABEL.service] === service && r.alert,
      );
      if (!rule) continue;
      forMs = rule.for ? ms(rule.for, `${rule.alert} for`) : 0;
      if (g.interval) evaluationIntervalMs = ms(g.interval, "rule group interval");
    }
  }
  if (forMs === undefined) throw new Error(`service ${service} has no probe alert in the rendered rules`);
  const am = parse(artifacts["alertmanager/alertmanager.yml"]) as { route: { group_wait?: string } };
  const groupWaitMs = am.route.group_wait ? ms(am.route.group_wait, "route.group_wait") : 30_000;
  return {
    probeIntervalMs,
    evaluationIntervalMs,
    forMs,
    groupWaitMs,
    totalMs: probeIntervalMs + evaluationIntervalMs + forMs + groupWaitMs,
  };
}

const s = (v: number) => `${(v / 1000).toFixed(v % 1000 ? 1 : 0)}s`;

/** `probe 5s + eval 5s + for 10s + group_wait 2s = 22s` */
export function formatBound(b: DetectionBound): string {
  return `probe ${s(b.probeIntervalMs)} + eval ${s(b.evaluationIntervalMs)} + for ${s(b.forMs)} + group_wait ${s(b.groupWaitMs)} = ${s(b.totalMs)}`;
}
