/**
 * Checks that span fields: uniqueness, references between sections, value types that
 * depend on a sibling key, PromQL that must parse. Runs on the raw catalog defensively,
 * next to the schema check, so one run reports every problem.
 */
import type { Diagnostic } from "./diagnostics";
import { formatPath } from "./diagnostics";
import { promqlError } from "./promql";
import { matcherListError } from "./matchers";
import { re2Error } from "./re2";
import { parseDuration, parsePercent, parseSeverity } from "./units";
import { checkRouting } from "./routing-check";
import { healthListProblems, rawHealthChecks } from "./health-checks";
import { BUDGET_SERVICE, DEFAULTS, MONITORING_SERVICE, RESERVED_NAMES } from "../conventions";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Highest burn factor of the page alerts: an objective whose budget times this is >= 1 can never page. */
const FASTEST_BURN = 14.4;

/** What unit each threshold key takes. */
const THRESHOLD_UNITS: ReadonlyMap<string, "percent" | "duration" | "count-or-percent"> = new Map([
  ["error_rate", "percent"],
  ["availability", "percent"],
  ["latency_p50", "duration"],
  ["latency_p95", "duration"],
  ["latency_p99", "duration"],
  ["connections", "count-or-percent"],
  ["replication_lag", "duration"],
]);
const DATABASE_ONLY = new Set(["connections", "replication_lag"]);

export function crossCheck(raw: unknown): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!isObj(raw)) return [];
  const at = (path: PropertyKey[], message: string) => out.push({ path: formatPath(path, raw), message });

  const owners = new Set<string>([BUDGET_SERVICE, MONITORING_SERVICE]);
  const seen = new Map<string, string>();
  const claim = (name: unknown, path: PropertyKey[]) => {
    if (typeof name !== "string") return;
    const where = `${String(path[0])} #${Number(path[1]) + 1}`;
    if (RESERVED_NAMES.has(name))
      at([...path, "name"], `"${name}" is reserved for generated alerts; pick another name`);
    else if (seen.has(name)) at([...path, "name"], `duplicate name "${name}" (also ${seen.get(name)})`);
    else seen.set(name, where);
    owners.add(name);
  };

  list(raw.services).forEach((svc, i) => {
    const path: PropertyKey[] = ["services", i];
    if (!isObj(svc)) return;
    claim(svc.name, path);
    checkService(svc, path, at);
  });
  const databases = new Set(
    list(raw.services).flatMap((s) =>
      isObj(s) && s.kind === "database" && typeof s.name === "string" ? [s.name] : [],
    ),
  );
  list(raw.external_apis).forEach((api, i) => {
    const path: PropertyKey[] = ["external_apis", i];
    if (!isObj(api)) return;
    claim(api.name, path);
    if (isObj(api.failure_rate)) checkThresholdValues(api.failure_rate, "percent", [...path, "failure_rate"], at);
    list(api.sizes).forEach((size, j) => {
      const database = isObj(size) ? str(size.database) : undefined;
      if (database !== undefined && !databases.has(database))
        at(
          [...path, "sizes", j, "database"],
          `"${database}" is not a kind: database service of this catalog (its pg_database_size_bytes would measure the quota)`,
        );
    });
  });

  list(raw.rules).forEach((rule, i) => {
    if (!isObj(rule)) return;
    const expr = str(rule.expr);
    if (expr !== undefined) {
      const err = promqlError(expr);
      if (err) at(["rules", i, "expr"], err);
    }
    const service = str(rule.service);
    if (service !== undefined && !owners.has(service))
      at(["rules", i, "service"], `"${service}" is not a service or external API of this catalog`);
  });

  const ruleFilePaths = new Set<string>();
  list(raw.rule_files).forEach((entry, i) => {
    const path = isObj(entry) ? str(entry.path)?.replace(/\/+$/, "") : undefined;
    if (path !== undefined && ruleFilePaths.has(path)) at(["rule_files", i, "path"], `"${path}" is listed twice`);
    if (path !== undefined) ruleFilePaths.add(path);
    const service = isObj(entry) ? str(entry.service) : undefined;
    if (service !== undefined && !owners.has(service))
      at(["rule_files", i, "service"], `"${service}" is not a service or external API of this catalog`);
  });

  if (isObj(raw.alerting)) {
    checkAlerting(raw.alerting, at);
    const contacts = new Set(isObj(raw.alerting.contacts) ? Object.keys(raw.alerting.contacts) : []);
    checkRouting(raw.alerting, { contacts, owners, teams: teamsOf(raw) }, at);
  }
  return out;
}

type At = (path: PropertyKey[], message: string) => void;

/** Every `team` label an alert of this catalog can carry. */
function teamsOf(raw: Obj): Set<string> {
  const fallback = str(raw.default_team) ?? DEFAULTS.team;
  const teams = new Set([fallback]);
  for (const owner of [...list(raw.services), ...list(raw.external_apis)])
    if (isObj(owner)) teams.add(str(owner.team) ?? fallback);
  for (const entry of list(raw.rule_files)) if (isObj(entry) && str(entry.team)) teams.add(str(entry.team)!);
  return teams;
}

function checkService(svc: Obj, path: PropertyKey[], at: At): void {
  const kind = str(svc.kind);
  const metrics = isObj(svc.metrics) ? svc.metrics : {};
  if (typeof metrics.selector === "string") {
    const err = matcherListError(metrics.selector);
    if (err) at([...path, "metrics", "selector"], `not a label-matcher list like job="web": ${err}`);
  }
  if (typeof metrics.latency_selector === "string") {
    const err = matcherListError(metrics.latency_selector);
    if (err) at([...path, "metrics", "latency_selector"], `not a label-matcher list: ${err}`);
  }
  if (typeof metrics.errors === "string") {
    const err = matcherListError(metrics.errors);
    if (err) at([...path, "metrics", "errors"], `not a label matcher like http_response_status_code=~"5..": ${err}`);
  }

  if (svc.down !== undefined && kind !== "database")
    at([...path, "down"], `only a kind: database service has a down alert (this one is ${String(kind)})`);

  for (const p of healthListProblems(svc.health, path)) at(p.path, p.message);
  for (const { h, path: hp } of rawHealthChecks(svc.health, path)) {
    const every = parseDuration(str(h.every) ?? "1m");
    const timeout = parseDuration(str(h.timeout) ?? "5s");
    if (every !== undefined && (every < 1000 || every > 3600_000))
      at([...hp, "every"], `${str(h.every)} is outside 1s..1h (Synthetic Monitoring's limits)`);
    if (h.timeout !== undefined && every !== undefined && timeout !== undefined && timeout > every)
      at([...hp, "timeout"], `${str(h.timeout)} is longer than every (${str(h.every) ?? "1m"})`);
    if (typeof h.expect_body === "string") {
      const err = re2Error(h.expect_body);
      if (err) at([...hp, "expect_body"], err);
    }
    if (h.tls_expiry !== undefined && typeof h.url === "string" && !h.url.startsWith("https://"))
      at([...hp, "tls_expiry"], "only applies to https:// URLs");
  }

  const sloNames = new Set<string>();
  list(svc.slos).forEach((slo, j) => {
    if (!isObj(slo)) return;
    const p = [...path, "slos", j];
    if (typeof slo.name === "string") {
      if (sloNames.has(slo.name)) at([...p, "name"], `duplicate SLO name "${slo.name}"`);
      sloNames.add(slo.name);
    }
    if (typeof slo.objective === "number" && Number.isFinite(slo.objective)) {
      if (!(slo.objective > 0 && slo.objective < 100))
        at([...p, "objective"], `${slo.objective} is outside (0, 100): objectives are percentages like 99.9`);
      else if ((1 - slo.objective / 100) * FASTEST_BURN >= 1)
        at(
          [...p, "objective"],
          `${slo.objective} is too low for burn-rate paging (14.4x its error budget exceeds 100%); use at least 93.1 or a threshold alert`,
        );
    }
    if (slo.sli === "latency" && slo.threshold === undefined)
      at([...p, "threshold"], "a latency SLO needs a threshold, e.g. threshold: 500ms");
    if (slo.sli !== "latency" && slo.threshold !== undefined)
      at([...p, "threshold"], `only latency SLOs take a threshold (this one is ${String(slo.sli)})`);
    if (slo.sli === "probe" && svc.health === undefined)
      at([...p, "sli"], "a probe SLO needs a health check on the service");
  });

  if (isObj(svc.thresholds)) {
    for (const [key, set] of Object.entries(svc.thresholds)) {
      const unit = THRESHOLD_UNITS.get(key);
      if (!unit || !isObj(set)) continue;
      if (DATABASE_ONLY.has(key) && kind !== undefined && kind !== "database")
        at([...path, "thresholds", key], `only database services have ${key} (this one is ${kind})`);
      checkThresholdValues(set, unit, [...path, "thresholds", key], at);
    }
  }
}

function checkThresholdValues(
  set: Obj,
  unit: "percent" | "duration" | "count-or-percent",
  path: PropertyKey[],
  at: At,
): void {
  const severities = new Map<string, string>();
  for (const [key, value] of Object.entries(set)) {
    if (key === "for" || (typeof value === "number" && !Number.isFinite(value))) continue;
    const severity = parseSeverity(key);
    if (!severity) continue;
    if (severities.has(severity)) at([...path, key], `same severity as ${severities.get(severity)} (${severity})`);
    severities.set(severity, key);
    const ok =
      unit === "percent"
        ? typeof value === "string" && parsePercent(value) !== undefined
        : unit === "duration"
          ? typeof value === "string" && parseDuration(value) !== undefined
          : (typeof value === "number" && value > 0) ||
            (typeof value === "string" && parsePercent(value) !== undefined);
    if (!ok) {
      const want =
        unit === "percent"
          ? 'a percentage like "5%"'
          : unit === "duration"
            ? "a duration like 2s or 500ms"
            : 'a count like 80 or a percentage like "90%"';
      at([...path, key], `${JSON.stringify(value)} is not ${want}`);
    } else if (unit === "percent" && parsePercent(value as string)! > 1) {
      at([...path, key], `${String(value)} is above 100%`);
    }
  }
}

function checkAlerting(alerting: Obj, at: At): void {
  const contacts = isObj(alerting.contacts) ? new Set(Object.keys(alerting.contacts)) : new Set<string>();
  if (isObj(alerting.routes)) {
    const bySeverity = new Map<string, string>();
    for (const [key, names] of Object.entries(alerting.routes)) {
      const severity = parseSeverity(key);
      if (!severity) {
        at(["alerting", "routes", key], `"${key}" is not a severity (P0..P3, SEV1..SEV4, critical|high|medium|low)`);
        continue;
      }
      if (bySeverity.has(severity))
        at(["alerting", "routes", key], `routes ${severity} twice (also as ${bySeverity.get(severity)})`);
      bySeverity.set(severity, key);
      list(names).forEach((name, i) => {
        if (typeof name === "string" && !contacts.has(name))
          at(
            ["alerting", "routes", key, i],
            `contact "${name}" is not defined under alerting.contacts${contacts.size ? ` (defined: ${[...contacts].join(", ")})` : ""}`,
          );
      });
    }
  }
  if (typeof alerting.watchdog === "string" && !contacts.has(alerting.watchdog))
    at(["alerting", "watchdog"], `contact "${alerting.watchdog}" is not defined under alerting.contacts`);
}
