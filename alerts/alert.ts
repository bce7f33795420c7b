/** Building alert rules to the alert contract: labels, annotations, runbook and dashboard links. */
import type { Severity, Signal } from "../catalog/model";
import { ANNOTATION, LABEL, type DashboardKey, type RunbookKey } from "../conventions";
import type { AlertRule, RecordingRule, RuleTest } from "./model";
import { LOCAL_MAX_FOR_MS, type GenContext } from "./context";
import { flat } from "./flat";

export interface AlertSpec {
  id: string;
  alert: string;
  expr: string;
  forMs: number;
  service: string;
  team: string;
  severity: Severity;
  signal: Signal;
  summary: string;
  description: string;
  runbook: RunbookKey;
  dashboard?: { key: DashboardKey; panel: string };
  noData: AlertRule["noData"];
  holdWhileMissing?: AlertRule["holdWhileMissing"];
  threshold?: string;
  labels?: Record<string, string>;
  /** The rule's test series, or a function building them (only `verify` reads them: series cost time to build). */
  test?: RuleTest | (() => RuleTest | undefined);
  grafana?: AlertRule["grafana"];
  /** Built on demand, as `test`: only detection bounds read it. */
  detection?: AlertRule["detection"];
  keepFiringForMs?: number;
  origin?: string;
}

const constant = (test: RuleTest) => () => test;

export function alertRule(ctx: GenContext, spec: AlertSpec): AlertRule {
  const annotations: Record<string, string> = {
    [ANNOTATION.summary]: flat(spec.summary),
    [ANNOTATION.description]: flat(spec.description),
    [ANNOTATION.runbookUrl]: ctx.runbookUrl(spec.runbook),
  };
  const dashboardUrl = spec.dashboard && ctx.dashboardUrl(spec.dashboard.key, spec.dashboard.panel, spec.service);
  if (dashboardUrl) annotations[ANNOTATION.dashboardUrl] = dashboardUrl;
  const labels: AlertRule["labels"] = spec.labels
    ? {
        [LABEL.service]: spec.service,
        [LABEL.severity]: spec.severity,
        [LABEL.signal]: spec.signal,
        [LABEL.team]: spec.team,
        ...spec.labels,
        [LABEL.alert]: spec.alert,
      }
    : {
        [LABEL.service]: spec.service,
        [LABEL.severity]: spec.severity,
        [LABEL.signal]: spec.signal,
        [LABEL.team]: spec.team,
        [LABEL.alert]: spec.alert,
      };
  const rule: AlertRule = {
    kind: "alert",
    id: flat(spec.id),
    alert: spec.alert,
    expr: flat(spec.expr),
    forMs: ctx.profile === "local" ? Math.min(spec.forMs, LOCAL_MAX_FOR_MS) : spec.forMs,
    labels,
    annotations,
    runbook: spec.runbook,
    dashboard: spec.dashboard,
    noData: spec.noData,
  };
  // Optional fields are set only when given, in this order.
  if (spec.holdWhileMissing) rule.holdWhileMissing = spec.holdWhileMissing;
  rule.threshold = spec.threshold;
  if (spec.test && ctx.checks) rule.test = typeof spec.test === "function" ? spec.test : constant(spec.test);
  if (spec.grafana) rule.grafana = spec.grafana;
  if (spec.detection && ctx.checks) rule.detection = spec.detection;
  if (spec.keepFiringForMs) rule.keepFiringForMs = spec.keepFiringForMs;
  if (spec.origin) rule.origin = spec.origin;
  return rule;
}

/**
 * `() => build(a, b, …)` for an alert's `test` or `detection`, made here rather than as a
 * function expression at each call site: under tsx (esbuild `keepNames`, how the CLI and the
 * bench run) every named function expression is created with an `Object.defineProperty(fn,
 * "name")`, about 1-3 µs, and a 1000-service catalog has 11,000 of these thunks.
 */
export function lazily<A, R>(build: (a: A) => R, a: A): () => R;
export function lazily<A, B, R>(build: (a: A, b: B) => R, a: A, b: B): () => R;
export function lazily<A, B, C, R>(build: (a: A, b: B, c: C) => R, a: A, b: B, c: C): () => R;
export function lazily<A, B, C, D, R>(build: (a: A, b: B, c: C, d: D) => R, a: A, b: B, c: C, d: D): () => R;
export function lazily(
  build: (a: unknown, b: unknown, c: unknown, d: unknown) => unknown,
  a: unknown,
  b?: unknown,
  c?: unknown,
  d?: unknown,
): () => unknown {
  return () => build(a, b, c, d);
}

export function recordingRule(
  id: string,
  record: string,
  expr: string,
  labels: Record<string, string>,
  services?: string[],
): RecordingRule {
  return {
    kind: "record",
    id: flat(id),
    record,
    expr: flat(expr),
    labels,
    ...(services && !labels.service ? { services } : {}),
  };
}

/** `{a="b"}`-style selector from matchers, merging extra matchers. */
export function sel(...matchers: Array<string | undefined>): string {
  return `{${matchers.filter((m) => m && m.trim() !== "").join(", ")}}`;
}

/** Matcher `service="web"` (and more) for querying our own recording rules. */
export function serviceSel(service: string, extra?: Record<string, string>): string {
  let matchers = `${LABEL.service}="${service}"`;
  if (extra) for (const [k, v] of Object.entries(extra)) matchers += `, ${k}="${v}"`;
  return `{${matchers}}`;
}
