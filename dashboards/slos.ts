/** SLOs: SLI against objective, error budget remaining over the window, burn rate per alert window. */
import {
  LABEL,
  PANEL,
  SLO_BUDGET_REMAINING_RECORD,
  SLO_BURN_FACTORS,
  SLO_OBJECTIVE_RECORD,
  SLO_WINDOWS,
  sloErrorRatioRecord,
} from "../conventions";
import type { DashboardSpec } from "./frame";
import { tablePanel, timeseriesPanel, type Steps } from "./panels";
import { burnRate, ofServices } from "./queries";

const SLO_LEGEND = `{{${LABEL.service}}}/{{${LABEL.slo}}}`;
const BUDGET_STEPS: Steps = ["red", [0, "orange"], [0.25, "green"]];
const BURN_STEPS: Steps = [
  "green",
  ...[...SLO_BURN_FACTORS]
    .sort((a, b) => a - b)
    .map((f, i): [number, string] => [f, ["yellow", "orange", "red", "dark-red"][i] ?? "dark-red"]),
];

export function slosDashboard(): DashboardSpec {
  return {
    key: "slos",
    description:
      "Service level objectives: SLI against objective, error budget remaining over the SLO window, and burn rate over every alerting window.",
    service: { query: SLO_OBJECTIVE_RECORD, multi: true },
    panels: [
      tablePanel({
        id: 1,
        title: "SLO summary",
        description: "Every SLO of the chosen services now.",
        w: 24,
        h: 7,
        rows: [LABEL.service, LABEL.slo],
        columns: [
          { header: "Objective", expr: ofServices(SLO_OBJECTIVE_RECORD), unit: "percentunit" },
          { header: "SLI (1d)", expr: `1 - ${ofServices(sloErrorRatioRecord("1d"))}`, unit: "percentunit" },
          {
            header: "Budget remaining",
            expr: ofServices(SLO_BUDGET_REMAINING_RECORD),
            unit: "percentunit",
            steps: BUDGET_STEPS,
          },
          { header: "Burn rate (1h)", expr: burnRate("1h"), unit: "x", steps: BURN_STEPS },
        ],
      }),
      timeseriesPanel({
        id: 2,
        title: "SLI vs objective",
        description: "Share of good events over the last hour; dashed: the objective.",
        w: 12,
        h: 8,
        unit: "percentunit",
        queries: [
          { expr: `1 - ${ofServices(sloErrorRatioRecord("1h"))}`, legend: `${SLO_LEGEND} SLI` },
          { expr: ofServices(SLO_OBJECTIVE_RECORD), legend: `${SLO_LEGEND} objective`, line: true },
        ],
      }),
      timeseriesPanel({
        id: 3,
        title: PANEL.sloBudget,
        description: "Share of the error budget left over the SLO window (below 0: objective missed).",
        w: 12,
        h: 8,
        unit: "percentunit",
        queries: [{ expr: ofServices(SLO_BUDGET_REMAINING_RECORD), legend: SLO_LEGEND }],
        steps: BUDGET_STEPS,
      }),
      timeseriesPanel({
        id: 4,
        title: PANEL.sloBurn,
        description: `Error ratio over the allowed error ratio, per window; dashed: the alerting burn rates (${SLO_BURN_FACTORS.join("x, ")}x).`,
        w: 24,
        h: 10,
        unit: "x",
        queries: SLO_WINDOWS.map((w) => ({ expr: burnRate(w), legend: `${SLO_LEGEND} ${w}` })),
        steps: BURN_STEPS,
      }),
    ],
  };
}
