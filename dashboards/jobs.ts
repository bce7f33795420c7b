/** Jobs: time since each job's last success against its heartbeat and alert line. */
import { HEARTBEAT_MISSING_FACTOR, LABEL, PANEL, REC } from "../conventions";
import type { DashboardSpec } from "./frame";
import { statPanel, tablePanel, timeseriesPanel } from "./panels";
import { ofServices } from "./queries";

const SERVICE_LEGEND = `{{${LABEL.service}}}`;
const ALERT_LINE = `${HEARTBEAT_MISSING_FACTOR} * ${ofServices(REC.jobHeartbeat)}`;

export function jobsDashboard(): DashboardSpec {
  return {
    key: "jobs",
    description: `Background jobs: time since the last successful run against the heartbeat; the heartbeat alert fires at ${HEARTBEAT_MISSING_FACTOR}x the heartbeat.`,
    service: { query: REC.jobHeartbeat, multi: true },
    panels: [
      statPanel({
        id: 1,
        title: "Jobs overdue",
        description: "Jobs whose last success is older than the alert line.",
        w: 6,
        h: 8,
        unit: "short",
        queries: [
          {
            expr: `count(${ofServices(REC.jobLastSuccessAge)} > on (${LABEL.service}) ${ALERT_LINE}) or vector(0)`,
            legend: "overdue",
          },
        ],
        steps: ["green", [1, "red"]],
      }),
      tablePanel({
        id: 2,
        title: "Job status",
        description: "Per job: time since the last success, heartbeat, and their ratio (at 1 the heartbeat is missed).",
        w: 18,
        h: 8,
        rows: [LABEL.service],
        columns: [
          { header: "Last success age", expr: ofServices(REC.jobLastSuccessAge), unit: "s" },
          { header: "Heartbeat", expr: ofServices(REC.jobHeartbeat), unit: "s" },
          {
            header: "Age / heartbeat",
            expr: `${ofServices(REC.jobLastSuccessAge)} / on (${LABEL.service}) ${ofServices(REC.jobHeartbeat)}`,
            unit: "x",
            steps: ["green", [1, "orange"], [HEARTBEAT_MISSING_FACTOR, "red"]],
          },
        ],
      }),
      timeseriesPanel({
        id: 3,
        title: PANEL.jobAge,
        description: `Seconds since the last successful run; dashed: the heartbeat and the alert line (${HEARTBEAT_MISSING_FACTOR}x).`,
        w: 24,
        h: 9,
        unit: "s",
        queries: [
          { expr: ofServices(REC.jobLastSuccessAge), legend: `${SERVICE_LEGEND} age` },
          { expr: ofServices(REC.jobHeartbeat), legend: `${SERVICE_LEGEND} heartbeat`, line: true },
          { expr: ALERT_LINE, legend: `${SERVICE_LEGEND} alert at`, line: true },
        ],
      }),
    ],
  };
}
