/**
 * Cross-checks of on-call routing: escalation steps, policies, mute timing time zones and the
 * ack timeout. Runs on the raw catalog next to the schema check, like `cross-check.ts`.
 */
import { parseDuration, parseSeverity, SEVERITY_HELP } from "./units";

type Obj = Record<string, unknown>;
type At = (path: PropertyKey[], message: string) => void;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Shortest `ack_timeout`: P0/P1 routes need a whole-second `group_interval` of at most half of it. */
export const MIN_ACK_TIMEOUT_MS = 2000;

/** What a policy may match: the catalog's alert owners (services, external APIs, pseudo-services) and teams. */
export interface RoutingScope {
  contacts: Set<string>;
  owners: Set<string>;
  teams: Set<string>;
}

export function checkRouting(alerting: Obj, scope: RoutingScope, at: At): void {
  const contactRefs = (names: unknown, path: PropertyKey[]) =>
    list(names).forEach((name, i) => {
      if (typeof name === "string" && !scope.contacts.has(name))
        at([...path, i], undefinedContact(name, scope.contacts));
    });
  const routed = new Map<string, unknown[]>();
  if (isObj(alerting.routes))
    for (const [key, names] of Object.entries(alerting.routes)) routed.set(parseSeverity(key) ?? key, list(names));

  if (typeof alerting.ack_timeout === "string") {
    const ms = parseDuration(alerting.ack_timeout);
    if (ms !== undefined && (ms < MIN_ACK_TIMEOUT_MS || ms % 1000 !== 0))
      at(["alerting", "ack_timeout"], `"${alerting.ack_timeout}" must be whole seconds and at least 2s`);
  }

  if (isObj(alerting.escalation)) {
    const bySeverity = new Map<string, string>();
    for (const [key, step] of Object.entries(alerting.escalation)) {
      const severity = parseSeverity(key);
      if (!severity) {
        at(["alerting", "escalation", key], `"${key}" is not a severity (${SEVERITY_HELP})`);
        continue;
      }
      if (bySeverity.has(severity))
        at(["alerting", "escalation", key], `escalates ${severity} twice (also as ${bySeverity.get(severity)})`);
      bySeverity.set(severity, key);
      if (!isObj(step)) continue;
      if (typeof step.after === "string" && parseDuration(step.after) === 0)
        at(["alerting", "escalation", key, "after"], "must be longer than 0s");
      contactRefs(step.to, ["alerting", "escalation", key, "to"]);
      list(step.to).forEach((name, i) => {
        if (typeof name === "string" && routed.get(severity)?.includes(name))
          at(
            ["alerting", "escalation", key, "to", i],
            `"${name}" already gets every ${severity} from alerting.routes; escalation must reach contacts that have not been told yet`,
          );
      });
    }
  }

  if (isObj(alerting.objectives)) {
    const bySeverity = new Map<string, string>();
    for (const [key, objective] of Object.entries(alerting.objectives)) {
      const severity = parseSeverity(key);
      if (!severity) {
        at(["alerting", "objectives", key], `"${key}" is not a severity (${SEVERITY_HELP})`);
        continue;
      }
      if (bySeverity.has(severity))
        at(["alerting", "objectives", key], `sets ${severity} twice (also as ${bySeverity.get(severity)})`);
      bySeverity.set(severity, key);
      if (isObj(objective) && typeof objective.detect === "string" && parseDuration(objective.detect) === 0)
        at(
          ["alerting", "objectives", key, "detect"],
          "must be longer than 0s: no alert notifies at the instant an incident starts",
        );
      if (isObj(objective) && !("detect" in objective) && !("pages_per_week" in objective))
        at(["alerting", "objectives", key], "needs detect, pages_per_week or both");
    }
  }

  list(alerting.policies).forEach((policy, i) => {
    if (!isObj(policy)) return;
    const path = ["alerting", "policies", i];
    if (isObj(policy.match)) {
      const { service, team } = policy.match;
      if (!["signal", "team", "service"].some((k) => k in (policy.match as Obj)))
        at([...path, "match"], "needs at least one of signal, team, service");
      if (typeof service === "string" && !scope.owners.has(service))
        at(
          [...path, "match", "service"],
          `"${service}" is not a service or external API of this catalog (known: ${[...scope.owners].sort().join(", ")})`,
        );
      if (typeof team === "string" && !scope.teams.has(team))
        at([...path, "match", "team"], `no alert has team "${team}" (teams: ${[...scope.teams].sort().join(", ")})`);
    }
    contactRefs(policy.to, [...path, "to"]);
  });

  list(alerting.mute_timings).forEach((m, i) => {
    if (isObj(m) && typeof m.location === "string") {
      const problem = timeZoneProblem(m.location);
      if (problem) at(["alerting", "mute_timings", i, "location"], problem);
    }
  });
}

function undefinedContact(name: string, contacts: Set<string>): string {
  return `contact "${name}" is not defined under alerting.contacts${contacts.size ? ` (defined: ${[...contacts].join(", ")})` : ""}`;
}

/**
 * Why `zone` is not an IANA time zone name Alertmanager and Grafana can load (Go's
 * `time.LoadLocation`, case-sensitive), or undefined. `Local` is refused: it would depend on
 * the machine evaluating the timing.
 */
export function timeZoneProblem(zone: string): string | undefined {
  const hint = "is not an IANA time zone like Europe/Berlin or UTC";
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone) || zone === "Local") return `"${zone}" ${hint}`;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return `"${zone}" ${hint}`;
  }
  if (resolved !== zone && resolved.toLowerCase() === zone.toLowerCase())
    return `"${zone}" must be spelled ${resolved} (time zone names are case-sensitive)`;
  return undefined;
}
