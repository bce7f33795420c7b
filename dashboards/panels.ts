/**
 * Panel builders shared by every dashboard: each panel queries the `datasource` template
 * variable, gets an explicit id (alert links point at it) and a size; the SDK lays it out.
 */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { SEVERITIES } from "../catalog/units";

export const DATASOURCE_VAR = "datasource";

/** The Prometheus data source chosen in the `datasource` variable (local Prometheus or Grafana Cloud). */
export const PROMETHEUS: common.DataSourceRef = { type: "prometheus", uid: `\${${DATASOURCE_VAR}}` };

export type PanelBuilder = cog.Builder<dashboard.Panel>;

export interface Query {
  expr: string;
  legend?: string;
  /** Drawn as a dashed line: thresholds, limits, objectives. */
  line?: boolean;
}

interface PanelSpec {
  id: number;
  title: string;
  description: string;
  /** Grid width (of 24) and height. */
  w: number;
  h: number;
  unit: string;
  queries: Query[];
}

/** Threshold steps: the base color, then `[value, color]` from low to high. */
export type Steps = [string, ...Array<[number, string]>];

const SEVERITY_COLORS: Record<(typeof SEVERITIES)[number], string> = {
  P0: "dark-red",
  P1: "red",
  P2: "orange",
  P3: "yellow",
};

function refId(index: number): string {
  return String.fromCharCode(65 + index);
}

function targets(queries: Query[], instant: boolean): prometheus.DataqueryBuilder[] {
  return queries.map((q, i) => {
    const target = new prometheus.DataqueryBuilder().datasource(PROMETHEUS).refId(refId(i)).expr(q.expr);
    if (q.legend !== undefined) target.legendFormat(q.legend);
    return instant ? target.instant().format(prometheus.PromQueryFormat.Table) : target.range();
  });
}

function thresholds(steps: Steps): dashboard.ThresholdsConfigBuilder {
  const [base, ...rest] = steps;
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps([{ value: null, color: base }, ...rest.map(([value, color]) => ({ value, color }))]);
}

/** The builder methods every panel kind shares. */
interface Frame<B> {
  id(id: number): B;
  title(title: string): B;
  description(description: string): B;
  datasource(ref: common.DataSourceRef): B;
  targets(targets: cog.Builder<cog.Dataquery>[]): B;
  span(w: number): B;
  height(h: number): B;
  unit(unit: string): B;
}

/** Id, title, description, data source, range queries and size of a panel. */
function framed<B extends Frame<B>>(panel: B, spec: PanelSpec): B {
  return panel
    .id(spec.id)
    .title(spec.title)
    .description(spec.description)
    .datasource(PROMETHEUS)
    .targets(targets(spec.queries, false))
    .span(spec.w)
    .height(spec.h)
    .unit(spec.unit);
}

/** A time series panel; `line` queries are dashed, unfilled, and colored by severity when their legend names one. */
export function timeseriesPanel(spec: PanelSpec & { steps?: Steps; stacked?: boolean }): PanelBuilder {
  const panel = framed(new timeseries.PanelBuilder(), spec)
    .lineWidth(1)
    .fillOpacity(spec.stacked ? 30 : 10)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Bottom)
        .calcs(["lastNotNull", "max"]),
    )
    .tooltip(
      new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending),
    );
  if (spec.stacked) panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (spec.steps) {
    panel
      .thresholds(thresholds(spec.steps))
      .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
  }
  spec.queries.forEach((q, i) => {
    if (!q.line) return;
    panel.overrideByQuery(refId(i), [
      { id: "custom.lineStyle", value: { fill: "dash", dash: [10, 10] } },
      { id: "custom.fillOpacity", value: 0 },
      { id: "custom.stacking", value: { mode: "none", group: "A" } },
    ]);
  });
  if (spec.queries.some((q) => q.line && q.legend?.includes("{{severity}}"))) {
    for (const severity of SEVERITIES) {
      panel.overrideByRegexp(`.*\\b${severity}\\b.*`, [
        { id: "color", value: { mode: "fixed", fixedColor: SEVERITY_COLORS[severity] } },
      ]);
    }
  }
  return panel;
}

/** A stat panel: one tile per series, colored by `steps`. */
export function statPanel(spec: PanelSpec & { steps: Steps; min?: number; max?: number }): PanelBuilder {
  const panel = framed(new stat.PanelBuilder(), spec)
    .thresholds(thresholds(spec.steps))
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.Area)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false));
  if (spec.min !== undefined) panel.min(spec.min);
  if (spec.max !== undefined) panel.max(spec.max);
  return panel;
}

/** One column of a table panel: a query's value, its header, unit and cell coloring. */
export interface Column {
  expr: string;
  header: string;
  unit: string;
  steps?: Steps;
}

/**
 * A table of instant queries, one row per value of the `rows` labels and one column per
 * query (`max by (rows)` of it); `hide` drops columns, `links` adds data links on a column.
 */
export function tablePanel(
  spec: Omit<PanelSpec, "queries" | "unit"> & {
    rows: string[];
    columns: Column[];
    hide?: string[];
    links?: Array<{ column: string; title: string; url: string }>;
  },
): PanelBuilder {
  const renames: Record<string, string> = {};
  spec.columns.forEach((c, i) => {
    renames[spec.columns.length === 1 ? "Value" : `Value #${refId(i)}`] = c.header;
  });
  const excluded: Record<string, boolean> = { Time: true };
  for (const label of spec.hide ?? []) excluded[label] = true;
  const panel = new table.PanelBuilder()
    .id(spec.id)
    .title(spec.title)
    .description(spec.description)
    .datasource(PROMETHEUS)
    .targets(
      targets(
        spec.columns.map((c) => ({ expr: `max by (${spec.rows.join(", ")}) (${c.expr})` })),
        true,
      ),
    )
    .span(spec.w)
    .height(spec.h)
    .transformations([
      { id: "merge", options: {} },
      { id: "organize", options: { excludeByName: excluded, renameByName: renames } },
    ]);
  for (const c of spec.columns) {
    const properties: dashboard.DynamicConfigValue[] = [{ id: "unit", value: c.unit }];
    if (c.steps) {
      properties.push(
        { id: "thresholds", value: thresholds(c.steps).build() },
        { id: "custom.cellOptions", value: { type: "color-background" } },
      );
    }
    panel.overrideByName(c.header, properties);
  }
  for (const link of spec.links ?? []) {
    panel.overrideByName(link.column, [{ id: "links", value: [{ title: link.title, url: link.url }] }]);
  }
  return panel;
}
