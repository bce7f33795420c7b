/**
 * Who a recording rule computes for. Services following the default `job="<name>"`
 * convention share one rule per record (`job=~"a|b|c"`, `service` taken from `job`), so a
 * 1000-service catalog has a handful of request-rate rules, not thousands; a service with its
 * own selector gets rules of its own.
 */
import type { Service } from "../catalog/model";
import { JOB_LABEL, LABEL, defaultSelector, probeJob, sha256Hex } from "../conventions";
import { sel } from "./alert";
import type { RecordingRule } from "./model";

export interface Scope {
  /** Part of the ids of the scope's rules: the service name, or `shared/<key>`. */
  id: string;
  /** Services the rules compute for. */
  services: string[];
  /** Static labels of the rules: `{service}` for one service, none for a shared rule. */
  labels: Record<string, string>;
  /** `{...}` selecting the scope's series, with extra matchers. */
  select(...extra: Array<string | undefined>): string;
  /** `fn` over `inner`, keeping `service` (and `by`). */
  agg(fn: "sum" | "avg" | "max" | "min", inner: string, by?: string[]): string;
}

/** A scope of one service by its own matchers. */
export function serviceScope(service: string, matchers: string): Scope {
  return {
    id: service,
    services: [service],
    labels: { [LABEL.service]: service },
    select: (...extra) => sel(matchers, ...extra),
    agg: (fn, inner, by = []) => `${fn}${by.length ? ` by (${by.join(", ")})` : ""}(${inner})`,
  };
}

/**
 * One scope for many services whose series carry `job` = `jobOf(service)`; `service` is
 * recovered from `job` by `label_replace`.
 */
export function sharedScope(key: string, services: string[], jobOf: (service: string) => string = (s) => s): Scope {
  const sorted = [...services].sort();
  const capture = jobOf("(.*)");
  const jobs = `${JOB_LABEL}=~"${sorted.map(jobOf).join("|")}"`;
  return {
    id: `shared/${key}`,
    services: sorted,
    labels: {},
    select: (...extra) => sel(jobs, ...extra),
    agg: (fn, inner, by = []) =>
      `${fn} by (${[LABEL.service, ...by].join(", ")}) (label_replace(${inner}, "${LABEL.service}", "$1", "${JOB_LABEL}", "${capture}"))`,
  };
}

/**
 * A shared recording rule's expression computing for `service` alone: its job regex (every
 * member's job, as `sharedScope` writes it) narrowed to the service's own job. A promtool test
 * of one service's alert loads this instead of a regex naming every other service, so the
 * test files stay the same size whatever the number of services. Other rules are unchanged.
 */
export function narrowedTo(rule: RecordingRule, service: string): string {
  if (!rule.services?.includes(service)) return rule.expr;
  for (const jobOf of [(s: string) => s, probeJob]) {
    const all = `${JOB_LABEL}=~"${rule.services.map(jobOf).join("|")}"`;
    if (rule.expr.includes(all)) return rule.expr.split(all).join(`${JOB_LABEL}=~"${jobOf(service)}"`);
  }
  return rule.expr;
}

/** Whether a service's series follow `job="<name>"` for everything, so shared rules cover it. */
export function followsJobConvention(svc: Service): boolean {
  return svc.metrics.selector === defaultSelector(svc.name) && svc.metrics.latencySelector === svc.metrics.selector;
}

/** Groups items by a key; keys in first-seen order, which callers sort. */
export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = out.get(k);
    if (group) group.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** A short stable key for a group of services sharing some settings. */
export function scopeKey(readable: string, ...settings: Array<string | number | undefined>): string {
  return `${readable}/${sha256Hex(settings.map(String).join("\u0000"), 8)}`;
}
