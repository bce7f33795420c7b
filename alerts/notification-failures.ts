/**
 * NotificationsFailing: the notifier gave up on a notification (every retry failed), so an
 * alert reached nobody. Prometheus targets read Alertmanager's own counter (scraped as
 * `ALERTMANAGER_JOB`); Grafana-managed alerting (prod) reads Grafana Cloud's counterpart in
 * its usage data source. P1, routed like every P1: it reaches the P1 contacts, so a broken
 * Slack URL is reported by email before the next outage needs Slack.
 */
import type { Catalog } from "../catalog/model";
import {
  ALERTMANAGER_JOB,
  GRAFANA_CLOUD_USAGE_DATASOURCE,
  INTEGRATION_LABEL,
  METRIC,
  MONITORING_SERVICE,
  NOTIFICATIONS_FAILING_ALERT,
} from "../conventions";
import { alertRule } from "./alert";
import type { GenContext } from "./context";
import { crossesAtOnce, scrapeCollection } from "./detection";
import type { Rule } from "./model";

/** A notification lost within this window keeps the alert firing. */
const WINDOW = "10m";

export function notificationFailureRules(ctx: GenContext, catalog: Catalog): Rule[] {
  const failed = `${METRIC.amNotificationsFailed}{job="${ALERTMANAGER_JOB}"}`;
  return [
    alertRule(ctx, {
      id: `${MONITORING_SERVICE}/notifications-failing`,
      alert: NOTIFICATIONS_FAILING_ALERT,
      expr: `sum by (${INTEGRATION_LABEL}) (increase(${failed}[${WINDOW}])) > 0`,
      forMs: 0,
      service: MONITORING_SERVICE,
      team: catalog.defaultTeam,
      severity: "P1",
      signal: "custom",
      summary: "Notifications cannot be delivered: alerts are reaching nobody through one kind of contact",
      description: `The notifier gave up on at least one notification in the last ${WINDOW} after every retry failed. The label ${INTEGRATION_LABEL} names the kind of contact (slack, pagerduty, email, webhook); the notifier's log names the contact and the error.`,
      runbook: "notifications",
      noData: "OK",
      detection: () => crossesAtOnce("a notification fails after every retry", scrapeCollection(ctx.profile), false),
      grafana: {
        expr: `sum(${METRIC.grafanaCloudNotificationsFailed}) > 0`,
        datasourceUid: GRAFANA_CLOUD_USAGE_DATASOURCE,
      },
      test: {
        // A contact that keeps failing: one notification given up on every minute from 5m on, so
        // an escalated copy (`for` + after) still sees failures when it comes due.
        fire: [
          {
            series: `${METRIC.amNotificationsFailed}{job="${ALERTMANAGER_JOB}", ${INTEGRATION_LABEL}="webhook"}`,
            values: "0x4 1+1x10",
          },
        ],
        quiet: [
          {
            series: `${METRIC.amNotificationsFailed}{job="${ALERTMANAGER_JOB}", ${INTEGRATION_LABEL}="webhook"}`,
            values: "0x14",
          },
        ],
        evalAfterMs: 8 * 60_000,
        // The first failure is counted at 5m; no `for`.
        firesAtMs: 5 * 60_000,
        intervalMs: 60_000,
        extraLabels: { [INTEGRATION_LABEL]: "webhook" },
      },
    }),
  ];
}
