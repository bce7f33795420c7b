/**
 * `alerting:` → Grafana's notification policy tree and mute timings, as plain provider inputs.
 *
 * Root → Watchdog route (its own contact, fast repeat) → escalated copies (label
 * `escalation`) to `alerting.escalation` contacts → `alerting.policies` in order, each split
 * by severity → one policy per severity matching the `severity` label. P0/P1 re-notify after
 * exactly `ack_timeout` (see `alerts/ack-timing.ts`); each notifying policy fans out to one
 * child per contact with `continue`. A severity with no contacts, and a last catch-all policy
 * for alerts nothing else matches, are muted at all times (dashboard only, as Alertmanager's
 * `dashboard-only` root receiver). Mute timings sit on the policies that notify (Grafana does not pass them
 * down to children).
 */
import type { Catalog, Severity } from "../../catalog/model";
import { formatDuration, parseDuration, SEVERITIES } from "../../catalog/units";
import type { RuleGroup } from "../../alerts/model";
import { ackTimings } from "../../alerts/ack-timing";
import { dayRanges, policyMatchers } from "../../alerts/alertmanager";
import {
  ALWAYS_MUTED,
  contactPointName,
  DEFAULTS,
  GRAFANA_DEFAULT_CONTACT_POINT,
  LABEL,
  muteTimingName,
  WATCHDOG_ALERT,
} from "../../conventions";

export interface Matcher {
  label: string;
  match: "=" | "=~";
  value: string;
}

export interface Policy {
  matchers?: Matcher[];
  contactPoint?: string;
  continue: boolean;
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  muteTimings?: string[];
  policies?: Policy[];
}

export interface RootPolicy {
  contactPoint: string;
  groupBies: string[];
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
  policies: Policy[];
}

export interface MuteTimingSpec {
  /** Catalog name (`dashboard-only` for the always-on one). */
  key: string;
  name: string;
  intervals: Array<{ weekdays?: string[]; times?: Array<{ start: string; end: string }>; location?: string }>;
}

const canonical = (d: string) => formatDuration(parseDuration(d)!);

/** Whether the rule model has the Watchdog. */
function hasWatchdog(groups: RuleGroup[]): boolean {
  return groups.some((g) => g.rules.some((r) => r.kind === "alert" && r.alert === WATCHDOG_ALERT));
}

/** Receiver of alerts no policy matches: the least urgent contact, else Grafana's default. */
function rootContact(catalog: Catalog): string {
  const { routes, contacts } = catalog.alerting;
  for (const severity of [...SEVERITIES].reverse()) {
    if (routes[severity].length) return contactPointName(catalog.system, routes[severity][0]);
  }
  return contacts.length ? contactPointName(catalog.system, contacts[0].name) : GRAFANA_DEFAULT_CONTACT_POINT;
}

/** Mute timings of the catalog, plus the always-on one muting what notifies no one (a route without contacts, unmatched alerts). */
export function muteTimings(catalog: Catalog): MuteTimingSpec[] {
  const { system, alerting } = catalog;
  const specs: MuteTimingSpec[] = alerting.muteTimings.map((m) => ({
    key: m.name,
    name: muteTimingName(system, m.name),
    intervals: [
      {
        ...(m.weekdays.length ? { weekdays: m.weekdays.map((d) => d.toLowerCase()) } : {}),
        ...(m.times.length ? { times: dayRanges(m.times).map((t) => ({ start: t.start_time, end: t.end_time })) } : {}),
        ...(m.location ? { location: m.location } : {}),
      },
    ],
  }));
  specs.push({
    key: ALWAYS_MUTED,
    name: muteTimingName(system, ALWAYS_MUTED),
    intervals: [{ weekdays: ["sunday:saturday"] }],
  });
  return specs;
}

/** The one notification policy tree of the catalog. */
export function notificationPolicy(catalog: Catalog, groups: RuleGroup[]): RootPolicy {
  const { system, alerting } = catalog;
  const alwaysMuted = muteTimingName(system, ALWAYS_MUTED);
  const mutedBy = (severity: Severity) =>
    alerting.muteTimings.filter((m) => m.severities.includes(severity)).map((m) => muteTimingName(system, m.name));

  const urgent = ackTimings(alerting.ackTimeoutMs, parseDuration(DEFAULTS.groupInterval)!);
  /** Alerts of `severity` matching `matchers`, to `contacts`; a severity nobody is told of is muted at all times. */
  const notify = (severity: Severity, matchers: Matcher[], contacts: string[]): Policy => {
    const muted = mutedBy(severity);
    return {
      matchers: [{ label: LABEL.severity, match: "=", value: severity }, ...matchers],
      continue: false,
      ...(contacts.length && (severity === "P0" || severity === "P1")
        ? {
            groupInterval: formatDuration(urgent.groupIntervalMs),
            repeatInterval: formatDuration(urgent.repeatIntervalMs),
          }
        : {}),
      ...(contacts.length
        ? {
            policies: contacts.map((c) => ({
              contactPoint: contactPointName(system, c),
              continue: true,
              ...(muted.length ? { muteTimings: muted } : {}),
            })),
          }
        : { muteTimings: [alwaysMuted] }),
    };
  };
  const escalations = alerting.escalations.map((e) =>
    notify(e.severity, [{ label: LABEL.escalation, match: "=~", value: ".+" }], e.to),
  );
  const policies = alerting.policies.map((p): Policy => ({
    matchers: policyMatchers(p.match).map(([label, value]) => ({ label, match: "=", value })),
    continue: false,
    policies: SEVERITIES.map((s) => notify(s, [], p.to)),
  }));

  const watchdog: Policy[] = hasWatchdog(groups)
    ? [
        {
          matchers: [{ label: LABEL.alert, match: "=", value: WATCHDOG_ALERT }],
          continue: false,
          groupWait: "0s",
          groupInterval: "1m",
          repeatInterval: "5m",
          ...(alerting.watchdog
            ? { contactPoint: contactPointName(system, alerting.watchdog) }
            : { muteTimings: [alwaysMuted] }),
        },
      ]
    : [];
  /** Alerts no other policy matches reach nobody, as Alertmanager's `dashboard-only` root receiver. */
  const unmatched: Policy = { continue: false, muteTimings: [alwaysMuted] };

  return {
    contactPoint: rootContact(catalog),
    groupBies: [...alerting.groupBy],
    groupWait: canonical(DEFAULTS.groupWait),
    groupInterval: canonical(DEFAULTS.groupInterval),
    repeatInterval: canonical(DEFAULTS.repeatInterval),
    policies: [
      ...watchdog,
      ...escalations,
      ...policies,
      ...SEVERITIES.map((s) => notify(s, [], alerting.routes[s])),
      unmatched,
    ],
  };
}
