/** Synthetics: health-check success, duration and TLS certificate lifetime per check. */
import { parseDuration } from "../catalog/units";
import { DEFAULTS, LABEL, METRIC, PANEL, PROBE_JOB_LABEL, probeJob, probeSelectorMatching } from "../conventions";
import type { DashboardSpec } from "./frame";
import { statPanel, timeseriesPanel } from "./panels";
import { byProbedService, probes, RANGE, series } from "./queries";

const DAY_SECONDS = 86_400;
const DAY_MS = DAY_SECONDS * 1000;
const SERVICE_LEGEND = `{{${LABEL.service}}}`;

function days(duration: string): number {
  return (parseDuration(duration) ?? 0) / DAY_MS;
}

export function syntheticsDashboard(): DashboardSpec {
  return {
    key: "synthetics",
    description:
      "Synthetic health checks (blackbox exporter locally, Grafana Synthetic Monitoring in the cloud): success, duration and TLS certificate days left.",
    service: {
      query: series(METRIC.probeSuccess, probeSelectorMatching(".+")),
      label: PROBE_JOB_LABEL,
      regex: `/^${probeJob("(.+)")}$/`,
      multi: true,
    },
    panels: [
      statPanel({
        id: 1,
        title: "Uptime over the range",
        description: "Share of successful probes over the dashboard's time range.",
        w: 24,
        h: 4,
        unit: "percentunit",
        queries: [
          {
            expr: `avg by (${LABEL.service}) (${byProbedService(`avg_over_time(${probes(METRIC.probeSuccess)}[${RANGE}])`)})`,
            legend: SERVICE_LEGEND,
          },
        ],
        steps: ["red", [0.99, "orange"], [0.999, "green"]],
        min: 0,
        max: 1,
      }),
      timeseriesPanel({
        id: 2,
        title: PANEL.probeSuccess,
        description: "Share of probe locations whose last check succeeded (status and body as expected).",
        w: 12,
        h: 8,
        unit: "percentunit",
        queries: [
          {
            expr: `avg by (${LABEL.service}) (${byProbedService(probes(METRIC.probeSuccess))})`,
            legend: SERVICE_LEGEND,
          },
        ],
        steps: ["red", [1, "green"]],
      }),
      timeseriesPanel({
        id: 3,
        title: PANEL.probeDuration,
        description: "Duration of the whole check (DNS, connect, TLS, response), slowest location.",
        w: 12,
        h: 8,
        unit: "s",
        queries: [
          {
            expr: `max by (${LABEL.service}) (${byProbedService(probes(METRIC.probeDuration))})`,
            legend: SERVICE_LEGEND,
          },
        ],
      }),
      statPanel({
        id: 4,
        title: PANEL.tlsDaysLeft,
        description: `Days until the earliest certificate in the chain expires; alerts at ${DEFAULTS.tlsExpiry} and ${DEFAULTS.tlsCritical} by default.`,
        w: 24,
        h: 5,
        unit: "d",
        queries: [
          {
            expr: `min by (${LABEL.service}) (${byProbedService(probes(METRIC.probeSslExpiry))} - time()) / ${DAY_SECONDS}`,
            legend: SERVICE_LEGEND,
          },
        ],
        steps: ["red", [days(DEFAULTS.tlsCritical), "orange"], [days(DEFAULTS.tlsExpiry), "green"]],
      }),
    ],
  };
}
