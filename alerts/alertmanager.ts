/**
 * `alertmanager.yml`: route tree — Watchdog, escalated copies to `alerting.escalation`
 * contacts, `alerting.policies` in order, then one route per severity from `alerting.routes`
 * (one receiver per contact, fanned out with `continue`) — secrets only as `*_file` paths,
 * mute timings and P0/P1 re-notification after exactly `ack_timeout`. No inhibit rules: the
 * suppression is in the rule expressions (`suppression.ts`), the same in both targets.
 */
import type { Catalog, Contact, MuteTiming, PolicyMatch, Severity } from "../catalog/model";
import { formatDuration, parseDuration, SEVERITIES } from "../catalog/units";
import { ackTimings } from "./ack-timing";
import { DEFAULTS, LABEL, WATCHDOG_ALERT, secretFileName } from "../conventions";
import { GENERATED_HEADER, toYaml } from "./yaml";

export const NO_RECEIVER = "dashboard-only";
export const SINK_RECEIVER = "local-sink";
const LOCAL_GROUP_INTERVAL = "10s";
/** group_wait of the local profile: a demo outage reaches the sink seconds after it fires. */
export const LOCAL_GROUP_WAIT = "2s";

export interface AlertmanagerOptions {
  secretsDir: string;
  profile: "prod" | "local";
  sinkUrl?: string;
  /**
   * History mode (`start --history`): every notification goes to the sink and nowhere else, so
   * synthetic incidents never reach the catalog's contacts. Needs `sinkUrl`.
   */
  sinkOnly?: boolean;
}

const TITLE =
  "[{{ .Status | toUpper }}] {{ .CommonLabels.severity }} {{ .CommonLabels.service }}: {{ .CommonAnnotations.summary }}";
const TEXT =
  "{{ range .Alerts }}{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}{{ if .Annotations.dashboard_url }}\nDashboard: {{ .Annotations.dashboard_url }}{{ end }}\n{{ end }}";

function receiver(c: Contact, secretsDir: string): Record<string, unknown> {
  const file = (secret: string) => `${secretsDir}/${secretFileName(secret)}`;
  switch (c.type) {
    case "pagerduty":
      return {
        name: c.name,
        pagerduty_configs: [
          {
            routing_key_file: file(c.integrationKey.secret),
            send_resolved: true,
            severity:
              '{{ if eq .CommonLabels.severity "P0" }}critical{{ else if eq .CommonLabels.severity "P1" }}error{{ else }}warning{{ end }}',
            description: TITLE,
          },
        ],
      };
    case "slack":
      return {
        name: c.name,
        slack_configs: [
          {
            api_url_file: file(c.url.secret),
            ...(c.channel ? { channel: c.channel } : {}),
            send_resolved: true,
            title: TITLE,
            text: TEXT,
          },
        ],
      };
    case "email":
      return {
        name: c.name,
        email_configs: [
          {
            to: c.to.join(", "),
            from: c.from,
            smarthost: c.smarthost,
            ...(c.username ? { auth_username: c.username } : {}),
            ...(c.password ? { auth_password_file: file(c.password.secret) } : {}),
            send_resolved: true,
            headers: { Subject: TITLE },
          },
        ],
      };
    case "webhook":
      return {
        name: c.name,
        webhook_configs: [
          { ...(typeof c.url === "string" ? { url: c.url } : { url_file: file(c.url.secret) }), send_resolved: true },
        ],
      };
  }
}

/** Time ranges of a day; one crossing midnight (22:00–07:00) becomes two, as Alertmanager requires start < end. */
export function dayRanges(
  times: Array<{ start: string; end: string }>,
): Array<{ start_time: string; end_time: string }> {
  return times.flatMap((t) =>
    t.start < t.end
      ? [{ start_time: t.start, end_time: t.end }]
      : [
          { start_time: t.start, end_time: "24:00" },
          { start_time: "00:00", end_time: t.end },
        ],
  );
}

/** Weekday/time spec of a mute timing in Alertmanager's `time_intervals` form. */
function timeInterval(m: MuteTiming): Record<string, unknown> {
  return {
    ...(m.weekdays.length ? { weekdays: m.weekdays } : {}),
    ...(m.times.length ? { times: dayRanges(m.times) } : {}),
    ...(m.location ? { location: m.location } : {}),
  };
}

/** Matchers of one `alerting.policies` entry, in label order. */
export function policyMatchers(match: PolicyMatch): Array<[string, string]> {
  return (["service", "signal", "team"] as const).flatMap((k) =>
    match[k] === undefined ? [] : [[LABEL[k], match[k]] as [string, string]],
  );
}

export function alertmanagerConfig(catalog: Catalog, options: AlertmanagerOptions): Record<string, unknown> {
  const { alerting } = catalog;
  const local = options.profile === "local";
  const groupInterval = local ? LOCAL_GROUP_INTERVAL : DEFAULTS.groupInterval;
  const urgent = ackTimings(alerting.ackTimeoutMs, parseDuration(groupInterval)!);
  const mutedBy = (severity: Severity) =>
    alerting.muteTimings.filter((m) => m.severities.includes(severity)).map((m) => m.name);
  /** Alerts of `severity` matching `matchers`, to `contacts`: ack timing for P0/P1, mute timings on every contact route (Alertmanager does not pass them down). */
  const notify = (severity: Severity, matchers: string[], contacts: string[]) => {
    const muted = mutedBy(severity);
    return {
      receiver: NO_RECEIVER,
      matchers: [`${LABEL.severity}="${severity}"`, ...matchers],
      ...(contacts.length && (severity === "P0" || severity === "P1")
        ? {
            group_interval: formatDuration(urgent.groupIntervalMs),
            repeat_interval: formatDuration(urgent.repeatIntervalMs),
          }
        : {}),
      ...(contacts.length
        ? {
            routes: contacts.map((name) => ({
              receiver: name,
              continue: true,
              ...(muted.length ? { mute_time_intervals: muted } : {}),
            })),
          }
        : {}),
    };
  };
  const escalationRoutes = alerting.escalations.map((e) => notify(e.severity, [`${LABEL.escalation}=~".+"`], e.to));
  const policyRoutes = alerting.policies.map((p) => ({
    receiver: NO_RECEIVER,
    matchers: policyMatchers(p.match).map(([label, value]) => `${label}=${JSON.stringify(value)}`),
    routes: SEVERITIES.map((s) => notify(s, [], p.to)),
  }));
  const watchdogRoute = {
    receiver: alerting.watchdog ?? NO_RECEIVER,
    matchers: [`${LABEL.alert}="${WATCHDOG_ALERT}"`],
    group_wait: "0s",
    group_interval: "1m",
    repeat_interval: "5m",
  };
  const sinkRoute = options.sinkUrl ? [{ receiver: SINK_RECEIVER, continue: true }] : [];
  return {
    route: {
      receiver: NO_RECEIVER,
      group_by: alerting.groupBy,
      group_wait: local ? LOCAL_GROUP_WAIT : DEFAULTS.groupWait,
      group_interval: groupInterval,
      repeat_interval: DEFAULTS.repeatInterval,
      routes: [
        ...sinkRoute,
        watchdogRoute,
        ...escalationRoutes,
        ...policyRoutes,
        ...SEVERITIES.map((s) => notify(s, [], alerting.routes[s])),
      ],
    },
    receivers: [
      { name: NO_RECEIVER },
      ...(options.sinkUrl
        ? [{ name: SINK_RECEIVER, webhook_configs: [{ url: options.sinkUrl, send_resolved: true }] }]
        : []),
      ...alerting.contacts.map((c) => receiver(c, options.secretsDir)),
    ],
    ...(alerting.muteTimings.length
      ? { time_intervals: alerting.muteTimings.map((m) => ({ name: m.name, time_intervals: [timeInterval(m)] })) }
      : {}),
  };
}

export function renderAlertmanager(catalog: Catalog, options: AlertmanagerOptions): string {
  const config = alertmanagerConfig(catalog, options);
  return toYaml(options.sinkOnly && options.sinkUrl ? sinkOnly(config, options.sinkUrl) : config, GENERATED_HEADER);
}

/** `config` with the sink as its only receiver: routing, grouping and inhibition kept, no contact reachable. */
function sinkOnly(config: Record<string, unknown>, sinkUrl: string): Record<string, unknown> {
  const route = config.route as Record<string, unknown>;
  return {
    ...config,
    route: { ...route, receiver: SINK_RECEIVER, routes: [] },
    receivers: [{ name: SINK_RECEIVER, webhook_configs: [{ url: sinkUrl, send_resolved: true }] }],
    time_intervals: undefined,
  };
}
