/**
 * What Prometheus, Alertmanager, the blackbox exporter and Synthetic Monitoring would refuse
 * at load or run time, and values that load but make no sense (an always-firing heartbeat,
 * a 0ms latency threshold): refused at validation, so `render` and `plan` write and register
 * nothing for such a catalog. Runs on the raw catalog next to the schema check.
 */
import { rawHealthChecks } from "./health-checks";
import { formatPath, type Diagnostic } from "./diagnostics";
import { plainTextError, templateError } from "./template-text";
import { promqlResultError } from "./promql-types";
import { parseDuration, parsePercent } from "./units";
import { ALERT_NAME_LABEL, healthCheckName, LABEL, probeJob, probeScrapeJob } from "../conventions";
import { SM_PUBLIC_PROBES } from "./sm-probes";

type Obj = Record<string, unknown>;
type At = (path: PropertyKey[], message: string) => void;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Alertmanager's label name syntax (`group_by` also takes `...`, meaning every label). */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** In Alertmanager's (Go's `time.Weekday`) order: a range runs forward within sunday..saturday. */
const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
/** Shortest and longest SLO window: the slowest burn-rate alert looks back 3d; Prometheus keeps no longer history in practice than a year. */
const SLO_WINDOW_MS = { min: 86400_000, max: 365 * 86400_000 };

export function parityCheck(raw: unknown): Diagnostic[] {
  if (!isObj(raw)) return [];
  const out: Diagnostic[] = [];
  const at: At = (path, message) => out.push({ path: formatPath(path, raw), message });
  const probes = new Set([
    ...SM_PUBLIC_PROBES,
    ...list(isObj(raw.synthetics) ? raw.synthetics.private_probes : undefined).filter(
      (p): p is string => typeof p === "string",
    ),
  ]);

  if (isObj(raw.synthetics)) checkProbes(raw.synthetics.probes, ["synthetics", "probes"], probes, at);
  checkJobNames(raw, at);
  list(raw.services).forEach((svc, i) => {
    if (isObj(svc)) checkService(svc, ["services", i], probes, at);
  });
  list(raw.external_apis).forEach((api, i) => {
    if (isObj(api) && typeof api.alert_at === "string")
      nonZeroPercent(api.alert_at, ["external_apis", i, "alert_at"], at);
  });
  if (isObj(raw.budget) && typeof raw.budget.alert_at === "string")
    nonZeroPercent(raw.budget.alert_at, ["budget", "alert_at"], at);
  list(raw.rules).forEach((rule, i) => {
    if (!isObj(rule)) return;
    if (typeof rule.expr === "string") {
      const err = promqlResultError(rule.expr);
      if (err) at(["rules", i, "expr"], err);
    }
    for (const field of ["summary", "description"] as const) {
      const text = rule[field];
      const err = typeof text === "string" ? templateError(text) : undefined;
      if (err) at(["rules", i, field], `is a Prometheus template and ${err}`);
    }
  });
  if (isObj(raw.alerting)) checkAlerting(raw.alerting, at);
  if (isObj(raw.github) && typeof raw.github.repository === "string") {
    const [owner, name] = raw.github.repository.split("/");
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(owner ?? "") || name === "." || name === "..")
      at(
        ["github", "repository"],
        `"${raw.github.repository}" is not a GitHub owner/name (owner: letters, digits, hyphens)`,
      );
  }
  return out;
}

function checkProbes(names: unknown, path: PropertyKey[], known: ReadonlySet<string>, at: At): void {
  list(names).forEach((name, i) => {
    if (typeof name === "string" && !known.has(name))
      at(
        [...path, i],
        `"${name}" is not a Synthetic Monitoring public probe (${SM_PUBLIC_PROBES.join(", ")}); list private probes under synthetics.private_probes`,
      );
  });
}

/**
 * Generated scrape jobs that collide: `web`'s probe job `web-health` and the scrape job of a
 * service named `web-health`, or a service whose default selector `job="web-health"` would
 * also select `web`'s probe series.
 */
function checkJobNames(raw: Obj, at: At): void {
  const probeJobs = new Map<string, string>();
  const services = list(raw.services).flatMap((svc, i) =>
    isObj(svc) && typeof svc.name === "string" ? [{ svc, i, name: svc.name }] : [],
  );
  for (const { svc, name } of services) if (svc.health !== undefined) probeJobs.set(probeJob(name), name);
  for (const { svc, i, name } of services) {
    const other = probeJobs.get(name);
    if (other === undefined) continue;
    const metrics = isObj(svc.metrics) ? svc.metrics : {};
    if (metrics.scrape !== undefined)
      at(
        ["services", i, "name"],
        `its scrape job "${name}" is also the probe job of service ${other}; rename one of them`,
      );
    else if (metrics.selector === undefined)
      at(
        ["services", i, "name"],
        `its default selector job="${name}" would also select the probe series of service ${other}; rename one of them or set metrics.selector`,
      );
  }
  checkScrapeJobNames(raw, services, at);
}

/**
 * Every `job_name` of `prometheus.yml` (and Synthetic Monitoring job) is unique: one of several
 * health checks gets `<service>-health-<check>`, which another service's scrape job or check
 * can spell too (`a` check `b-health-c`, `a-health-b` check `c`). A scrape job equal to a single
 * check's probe job is reported above; two checks of one service with one name, by health-checks.ts.
 */
function checkScrapeJobNames(raw: Obj, services: Array<{ svc: Obj; i: number; name: string }>, at: At): void {
  const jobs = new Map<string, { path: PropertyKey[]; keyed: boolean }>();
  const claim = (job: string, path: PropertyKey[], keyed: boolean, report: PropertyKey[]) => {
    const first = jobs.get(job);
    if (!first) return void jobs.set(job, { path, keyed });
    if (first.keyed || keyed)
      at(
        report,
        `its scrape job "${job}" is also the scrape job of ${formatPath(first.path, raw)}; rename one of them`,
      );
  };
  for (const { svc, i, name } of services) {
    const checks = rawHealthChecks(svc.health, ["services", i]);
    if (Array.isArray(svc.health) && checks.length > 1) {
      const ownNames = new Set<string>();
      for (const { h, path } of checks) {
        if (typeof h.url !== "string") continue;
        const explicit = typeof h.name === "string";
        const key = explicit ? (h.name as string) : healthCheckName(h.url);
        if (ownNames.has(key)) continue;
        ownNames.add(key);
        claim(probeScrapeJob(name, key), path, true, [...path, explicit ? "name" : "url"]);
      }
    } else if (checks.length) claim(probeJob(name), ["services", i, "health"], false, ["services", i, "health"]);
    if (isObj(svc.metrics) && svc.metrics.scrape !== undefined)
      claim(name, ["services", i], false, ["services", i, "name"]);
  }
}

/** A duration written as 0s (`what` says why that is refused), reported at `path` + `suffix`. */
function positive(value: unknown, what: string, at: At, path: PropertyKey[], ...suffix: PropertyKey[]): void {
  if (typeof value === "string" && parseDuration(value) === 0)
    at([...path, ...suffix], `must be longer than 0s (${what})`);
}

function checkService(svc: Obj, path: PropertyKey[], probes: ReadonlySet<string>, at: At): void {
  const zeroHeartbeat = "a 0s heartbeat would always fire";
  if (isObj(svc.heartbeat)) positive(svc.heartbeat.every, zeroHeartbeat, at, path, "heartbeat", "every");
  else positive(svc.heartbeat, zeroHeartbeat, at, path, "heartbeat");
  if (isObj(svc.metrics) && isObj(svc.metrics.scrape)) {
    const scrape = svc.metrics.scrape;
    positive(scrape.every, "Prometheus refuses a 0s scrape interval", at, path, "metrics", "scrape", "every");
    if (scrape.bearer !== undefined && (scrape.password !== undefined || scrape.username !== undefined))
      at([...path, "metrics", "scrape", "bearer"], "use either basic auth (username, password) or bearer, not both");
  }
  for (const { h, path: hp } of rawHealthChecks(svc.health, path)) {
    positive(h.timeout, "a probe cannot succeed in no time", at, hp, "timeout");
    positive(h.tls_expiry, "it would warn only once the certificate has expired", at, hp, "tls_expiry");
    checkProbes(h.probes, [...hp, "probes"], probes, at);
    if (isObj(h.auth)) {
      const a = h.auth;
      if (a.bearer !== undefined && (a.username !== undefined || a.password !== undefined))
        at([...hp, "auth"], "use either basic auth (username, password) or bearer, not both");
      else if (a.bearer === undefined && (a.username === undefined || a.password === undefined))
        at([...hp, "auth"], "needs username and password, or bearer");
    }
  }
  list(svc.slos).forEach((slo, j) => {
    if (!isObj(slo)) return;
    positive(slo.threshold, "no request is faster than 0ms", at, path, "slos", j, "threshold");
    if (typeof slo.window === "string") {
      const ms = parseDuration(slo.window);
      if (ms !== undefined && (ms < SLO_WINDOW_MS.min || ms > SLO_WINDOW_MS.max))
        at([...path, "slos", j, "window"], `"${slo.window}" is outside 1d..365d`);
    }
  });
  if (isObj(svc.thresholds)) {
    for (const [kind, set] of Object.entries(svc.thresholds)) {
      if (!kind.startsWith("latency_") || !isObj(set)) continue;
      for (const [key, value] of Object.entries(set))
        if (key !== "for") positive(value, "every request would cross it", at, path, "thresholds", kind, key);
    }
  }
}

function nonZeroPercent(value: string, path: PropertyKey[], at: At): void {
  const ratio = parsePercent(value);
  if (ratio === 0) at(path, `"${value}" would alert before anything is used; use a share above 0%`);
  else if (ratio !== undefined && ratio > 1) at(path, `"${value}" is above 100%`);
}

function checkAlerting(alerting: Obj, at: At): void {
  const groupBy = list(alerting.group_by);
  const grouped = new Set<string>();
  groupBy.forEach((label, i) => {
    if (typeof label !== "string") return;
    if (label === "..." && groupBy.length > 1)
      at(["alerting", "group_by", i], '"..." (group by every label) cannot be combined with other labels');
    else if (label !== "..." && !LABEL_NAME.test(label))
      at(["alerting", "group_by", i], `"${label}" is not a label name (letters, digits, _; not starting with a digit)`);
    else {
      const read = label === ALERT_NAME_LABEL ? LABEL.alert : label;
      if (grouped.has(read))
        at(
          ["alerting", "group_by", i],
          `"${label}" is listed twice${read === LABEL.alert ? ` (${ALERT_NAME_LABEL} is read as ${LABEL.alert})` : ""}`,
        );
      grouped.add(read);
    }
  });
  const noDuplicates = (names: unknown, path: PropertyKey[]) => {
    const seen = new Set<string>();
    list(names).forEach((name, i) => {
      if (typeof name !== "string") return;
      if (seen.has(name)) at([...path, i], `contact "${name}" is listed twice; it would be notified twice`);
      seen.add(name);
    });
  };
  if (isObj(alerting.routes))
    for (const [key, names] of Object.entries(alerting.routes)) noDuplicates(names, ["alerting", "routes", key]);
  if (isObj(alerting.escalation))
    for (const [key, step] of Object.entries(alerting.escalation))
      if (isObj(step)) noDuplicates(step.to, ["alerting", "escalation", key, "to"]);
  list(alerting.policies).forEach((p, i) => isObj(p) && noDuplicates(p.to, ["alerting", "policies", i, "to"]));
  list(alerting.mute_timings).forEach((m, i) => {
    if (isObj(m))
      list(m.weekdays).forEach((d, j) => {
        const err = typeof d === "string" ? weekdayError(d) : undefined;
        if (err) at(["alerting", "mute_timings", i, "weekdays", j], err);
      });
  });
  if (isObj(alerting.contacts)) {
    for (const [name, c] of Object.entries(alerting.contacts)) {
      if (!isObj(c)) continue;
      if (c.type === "slack" && typeof c.channel === "string") {
        const err = plainTextError(c.channel);
        if (err) at(["alerting", "contacts", name, "channel"], err);
      }
      if (c.type === "email" && typeof c.smarthost === "string") {
        const err = hostPortError(c.smarthost);
        if (err) at(["alerting", "contacts", name, "smarthost"], err);
      }
    }
  }
}

/** Alertmanager's weekday syntax: a day name (any case) or a range `monday:friday` running forward. */
export function weekdayError(spec: string): string | undefined {
  const days = spec.toLowerCase().split(":");
  const index = days.map((d) => WEEKDAYS.indexOf(d));
  if (days.length > 2 || index.some((n) => n < 0))
    return `"${spec}" is not a weekday (${WEEKDAYS.join(", ")}) or a range like monday:friday`;
  if (index.length === 2 && index[0] > index[1])
    return `"${spec}" runs backwards (weeks run sunday..saturday); write it as two entries: ${days[0]}${days[0] === "saturday" ? "" : ":saturday"} and ${days[1] === "sunday" ? "" : "sunday:"}${days[1]}`;
  return undefined;
}

/** Alertmanager's `smarthost`: `host:port` (IPv6 in brackets), port 1..65535. */
export function hostPortError(value: string): string | undefined {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/.exec(value);
  if (!m || Number(m[3]) < 1 || Number(m[3]) > 65535) return `"${value}" is not host:port like smtp.example.com:587`;
  return undefined;
}
