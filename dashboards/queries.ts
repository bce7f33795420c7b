/**
 * PromQL snippets shared by the dashboards. Every series is a recording rule or contract
 * metric from conventions.ts, filtered by template variables only, so the dashboards do not
 * grow with the catalog.
 */
import type { Signal } from "../catalog/model";
import {
  LABEL,
  METRIC,
  PROBE_JOB_LABEL,
  probeJob,
  probeSelectorMatching,
  QUANTILE_LABEL,
  REC,
  SLO_OBJECTIVE_RECORD,
  sloErrorRatioRecord,
} from "../conventions";

export const SERVICE_VAR = "service";

/** Grafana's rate window and interval variables, as written in queries. */
export const RATE_INTERVAL = "$__rate_interval";
export const INTERVAL = "$__interval";
export const RANGE = "$__range";

/** Matches the services chosen in the `service` variable (a single value, several, or All). */
export const SERVICE_MATCH = `${LABEL.service}=~"$${SERVICE_VAR}"`;

/** `metric{m1, m2}`, or the bare metric without matchers. */
export function series(metric: string, ...matchers: string[]): string {
  return matchers.length === 0 ? metric : `${metric}{${matchers.join(", ")}}`;
}

/** `label="value"`. */
export function eq(label: string, value: string): string {
  return `${label}="${value}"`;
}

/** A recording rule of the chosen services. */
export function ofServices(metric: string, ...matchers: string[]): string {
  return series(metric, SERVICE_MATCH, ...matchers);
}

/** Catalog thresholds of a signal for the chosen services, one constant series per severity (and quantile). */
export function thresholdLines(signal: Signal): string {
  return ofServices(REC.threshold, eq(LABEL.signal, signal));
}

/** Duration quantile of the chosen services. */
export function latencyQuantile(quantile: string): string {
  return ofServices(REC.latency, eq(QUANTILE_LABEL, quantile));
}

/** Error budget consumption speed over a window: error ratio over the allowed error ratio. */
export function burnRate(window: string): string {
  return `${ofServices(sloErrorRatioRecord(window))} / on (${LABEL.service}, ${LABEL.slo}) group_left () (1 - ${ofServices(SLO_OBJECTIVE_RECORD)})`;
}

/** A deploy of a chosen service (or of any service when the dashboard has no `service` variable). */
export function deploys(scoped: boolean): string {
  const counter = scoped ? ofServices(METRIC.deployments) : METRIC.deployments;
  return `sum by (${LABEL.service}) (changes(${counter}[${INTERVAL}])) > 0`;
}

/** Probe series of the services matching `servicePattern` (default: the chosen ones). */
export function probes(metric: string, servicePattern = `$${SERVICE_VAR}`): string {
  return series(metric, probeSelectorMatching(servicePattern));
}

/** `expr` over probe series, with the service name copied from the probe job into the `service` label. */
export function byProbedService(expr: string): string {
  return `label_replace(${expr}, "${LABEL.service}", "$1", "${PROBE_JOB_LABEL}", "${probeJob("(.+)")}")`;
}
