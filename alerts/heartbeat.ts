/**
 * Jobs: alert when no success was recorded for twice the heartbeat period (or never). The
 * last-success gauge is read as its last value within that window, so a job that pushes it
 * once per run (OTLP, Pushgateway with a short TTL) reads the same as a scraped one.
 */
import type { Service } from "../catalog/model";
import { formatDuration, formatNumber } from "../catalog/units";
import { HEARTBEAT_MISSING_FACTOR, LABEL, METRIC, PANEL, REC } from "../conventions";
import { alertRule, lazily, recordingRule, sel } from "./alert";
import type { GenContext } from "./context";
import { silenceFor } from "./detection";
import type { Rule, RuleTest } from "./model";
import { counter, firstEvalAt, gauge, labelsMatching, series } from "./synth";

const HEARTBEAT_FOR_MS = 5 * 60_000;

const JOB_AGE_PANEL = { key: "jobs", panel: PANEL.jobAge } as const;

export function heartbeatRules(ctx: GenContext, svc: Service): Rule[] {
  const hb = svc.heartbeat;
  if (!hb) return [];
  const missingMs = HEARTBEAT_MISSING_FACTOR * hb.everyMs;
  const last = `max(last_over_time(${METRIC.jobLastSuccess}${sel(svc.metrics.selector)}[${formatDuration(missingMs)}]))`;
  const limitS = missingMs / 1000;
  const labels = { [LABEL.service]: svc.name };
  return [
    recordingRule(`${svc.name}/rec/job_age`, REC.jobLastSuccessAge, `time() - ${last}`, labels),
    recordingRule(
      `${svc.name}/rec/job_heartbeat`,
      REC.jobHeartbeat,
      `vector(${formatNumber(hb.everyMs / 1000)})`,
      labels,
    ),
    alertRule(ctx, {
      id: `${svc.name}/heartbeat`,
      alert: "JobHeartbeatMissing",
      expr: `time() - (${last} or vector(0)) > ${formatNumber(limitS)}`,
      forMs: HEARTBEAT_FOR_MS,
      service: svc.name,
      team: svc.team,
      severity: hb.severity,
      signal: "heartbeat",
      summary: `${svc.name} has not succeeded for ${formatDuration(missingMs)}`,
      description: `Job ${svc.name} should succeed every ${formatDuration(hb.everyMs)}; no success has been recorded (${METRIC.jobLastSuccess}) for ${formatDuration(missingMs)}.`,
      runbook: "heartbeat",
      dashboard: JOB_AGE_PANEL,
      noData: "OK",
      threshold: formatDuration(hb.everyMs),
      detection: lazily(heartbeatDetection, missingMs),
      test: lazily(heartbeatTest, svc, missingMs),
    }),
  ];
}

const heartbeatDetection = (missingMs: number) =>
  silenceFor("the job stops right after a success", missingMs, "since the last success");

/** Fire: last success at time 0 and never again; quiet: a success every minute. Undefined when the selector cannot be synthesised. */
function heartbeatTest(svc: Service, missingMs: number): RuleTest | undefined {
  const s = labelsMatching(svc.metrics.selector);
  if (!s) return undefined;
  const metric = series(METRIC.jobLastSuccess, s);
  const intervalMs = 60_000;
  const evalAfterMs = missingMs + 20 * 60_000;
  const steps = Math.ceil(evalAfterMs / intervalMs) + 5;
  const limitS = missingMs / 1000;
  return {
    // test/alerts/semantics.test.ts covers a success pushed once.
    fire: [{ series: metric, values: gauge(0, steps) }],
    quiet: [{ series: metric, values: counter(intervalMs / 1000, steps) }],
    // A success exactly twice the heartbeat ago at every evaluation: not "more than".
    atBound: { series: [{ series: metric, values: `${-limitS}+${intervalMs / 1000}x${steps}` }], fires: false },
    evalAfterMs,
    // Age passes the limit at the first evaluation after it, then `for`.
    firesAtMs: firstEvalAt(missingMs + 1, intervalMs) + firstEvalAt(HEARTBEAT_FOR_MS, intervalMs),
    intervalMs,
  };
}
