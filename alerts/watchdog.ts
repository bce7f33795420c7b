/** The always-firing Watchdog: its absence downstream proves the alerting pipeline is broken. */
import type { Catalog } from "../catalog/model";
import { MONITORING_SERVICE, WATCHDOG_ALERT } from "../conventions";
import { alertRule } from "./alert";
import type { GenContext } from "./context";
import type { Rule } from "./model";

export function watchdogRules(ctx: GenContext, catalog: Catalog): Rule[] {
  return [
    alertRule(ctx, {
      id: `${MONITORING_SERVICE}/watchdog`,
      alert: WATCHDOG_ALERT,
      expr: "vector(1)",
      forMs: 0,
      service: MONITORING_SERVICE,
      team: catalog.defaultTeam,
      severity: "P3",
      signal: "custom",
      summary: "Alerting pipeline heartbeat (always firing)",
      description:
        "This alert always fires. If it stops arriving at the dead-man's switch, Prometheus, rule evaluation or notification delivery is broken.",
      runbook: "watchdog",
      noData: "Alerting",
      test: { fire: [], evalAfterMs: 60_000, firesAtMs: 0, intervalMs: 60_000 },
    }),
  ];
}
