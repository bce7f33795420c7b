/**
 * What every dashboard shares around its panels: uid, title and tags from the system,
 * the `datasource` and `service` variables, deploy annotations and links to its siblings.
 */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { DASHBOARDS, DEPLOY_ANNOTATION_TAG, dashboardUid, LABEL, type DashboardKey } from "../conventions";
import { DATASOURCE_VAR, PROMETHEUS, type PanelBuilder } from "./panels";
import { deploys, SERVICE_VAR } from "./queries";

/** One dashboard's own content. */
export interface DashboardSpec {
  key: DashboardKey;
  description: string;
  /**
   * The `service` variable: values of `label` (default `service`) on the `query` series,
   * optionally extracted by `regex`; `multi` allows several services and All (the default),
   * else one service is shown.
   */
  service?: { query: string; label?: string; regex?: string; multi: boolean };
  panels: PanelBuilder[];
}

const GRAFANA_DATASOURCE = { type: "grafana", uid: "-- Grafana --" };

/** `<system> / <title>`, e.g. `prospectpro / Service (RED)`. */
export function dashboardTitle(system: string, key: DashboardKey): string {
  return `${system} / ${DASHBOARDS[key]}`;
}

function serviceVariable(spec: NonNullable<DashboardSpec["service"]>): dashboard.QueryVariableBuilder {
  const query = `label_values(${spec.query}, ${spec.label ?? LABEL.service})`;
  const variable = new dashboard.QueryVariableBuilder(SERVICE_VAR)
    .label("Service")
    .datasource(PROMETHEUS)
    .query(query)
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(spec.multi)
    .includeAll(spec.multi);
  if (spec.multi) variable.allValue(".*").current({ selected: true, text: ["All"], value: ["$__all"] });
  if (spec.regex) variable.regex(spec.regex);
  return variable;
}

// The SDK types `target` as a data source query; the Grafana annotation store takes this tag filter.
const deployTagTarget = new dashboard.AnnotationTargetBuilder()
  .type("tags")
  .tags([DEPLOY_ANNOTATION_TAG])
  .matchAny(true)
  .limit(100) as unknown as cog.Builder<cog.Dataquery>;

function annotations(scoped: boolean): dashboard.AnnotationQueryBuilder[] {
  return [
    new dashboard.AnnotationQueryBuilder()
      .name("Annotations & Alerts")
      .builtIn(1)
      .type("dashboard")
      .datasource(GRAFANA_DATASOURCE)
      .enable(true)
      .hide(true)
      .iconColor("rgba(0, 211, 255, 1)"),
    new dashboard.AnnotationQueryBuilder()
      .name("Deploys")
      .datasource(GRAFANA_DATASOURCE)
      .enable(true)
      .iconColor("blue")
      .target(deployTagTarget),
    new dashboard.AnnotationQueryBuilder()
      .name("Deploys (metrics)")
      .datasource(PROMETHEUS)
      .enable(true)
      .iconColor("purple")
      .expr(deploys(scoped))
      .step("1m")
      .titleFormat("Deploy")
      .textFormat(`{{${LABEL.service}}}`)
      .tagKeys(LABEL.service),
  ];
}

/** The Grafana dashboard model of `spec` for `system`, without volatile fields (id, version). */
export function buildDashboard(system: string, spec: DashboardSpec): dashboard.Dashboard {
  const builder = new dashboard.DashboardBuilder(dashboardTitle(system, spec.key))
    .uid(dashboardUid(system, spec.key))
    .description(spec.description)
    .tags([system, spec.key])
    .readonly()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .time({ from: "now-6h", to: "now" })
    .refresh("1m")
    .withVariable(new dashboard.DatasourceVariableBuilder(DATASOURCE_VAR).label("Data source").type("prometheus"))
    .annotations(annotations(spec.service !== undefined))
    .link(
      new dashboard.DashboardLinkBuilder(system)
        .type(dashboard.DashboardLinkType.Dashboards)
        .tags([system])
        .asDropdown(true)
        .includeVars(true)
        .keepTime(true),
    );
  if (spec.service) builder.withVariable(serviceVariable(spec.service));
  for (const panel of spec.panels) builder.withPanel(panel);
  return builder.build();
}
