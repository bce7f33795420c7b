/**
 * The dashboards of a catalog: Grafana dashboard JSON built with the foundation SDK, links
 * from alerts to panels, and every query with its template variables filled in. Only the
 * system name enters the dashboards (uids, titles, tags); services are picked by template
 * variables, so a dashboard is the same size for 3 or 1000 services.
 */
import type { Catalog } from "../catalog/model";
import { memoized } from "../catalog/memo";
import { flat } from "../alerts/flat";
import { DASHBOARDS, dashboardUid, type DashboardKey } from "../conventions";
import { databaseDashboard } from "./database";
import { externalApisDashboard } from "./external-apis";
import { buildDashboard, dashboardTitle, type DashboardSpec } from "./frame";
import { jobsDashboard } from "./jobs";
import { overviewDashboard } from "./overview";
import { DATASOURCE_VAR, PROMETHEUS } from "./panels";
import { INTERVAL, RANGE, RATE_INTERVAL, SERVICE_VAR } from "./queries";
import { serviceDashboard } from "./service";
import { slosDashboard } from "./slos";
import { syntheticsDashboard } from "./synthetics";

/** One dashboard: its key in `DASHBOARDS`, uid, title and Grafana JSON model (no `id`, no `version`). */
export interface DashboardDoc {
  key: DashboardKey;
  uid: string;
  title: string;
  json: Record<string, unknown>;
}

interface PanelJson {
  id: number;
  title: string;
  targets?: Array<{ expr?: string }>;
}

interface AnnotationJson {
  name: string;
  datasource?: { type?: string };
  expr?: string;
}

function specs(system: string): DashboardSpec[] {
  return [
    overviewDashboard(system),
    serviceDashboard(),
    slosDashboard(),
    databaseDashboard(),
    externalApisDashboard(),
    syntheticsDashboard(),
    jobsDashboard(),
  ];
}

function build(system: string): DashboardDoc[] {
  const byKey = new Map(specs(system).map((spec) => [spec.key, spec]));
  return (Object.keys(DASHBOARDS) as DashboardKey[]).map((key) => {
    const spec = byKey.get(key);
    if (!spec) throw new Error(`dashboard ${key} has no builder`);
    const json = JSON.parse(JSON.stringify(buildDashboard(system, spec))) as Record<string, unknown>;
    return { key, uid: dashboardUid(system, key), title: dashboardTitle(system, key), json };
  });
}

/** The seven dashboards of the catalog, in `DASHBOARDS` order. */
export function buildDashboards(catalog: Catalog): DashboardDoc[] {
  return build(catalog.system);
}

/** `dashboards/<key>.json` → dashboard JSON (2-space indent, trailing newline), keys sorted. */
export function renderDashboardFiles(catalog: Catalog): Record<string, string> {
  const files: Record<string, string> = {};
  const docs = build(catalog.system).sort((a, b) => (a.key < b.key ? -1 : 1));
  for (const doc of docs) files[`dashboards/${doc.key}.json`] = `${JSON.stringify(doc.json, null, 2)}\n`;
  return files;
}

const bySystem = new Map<string, DashboardDoc[]>();

/** Built once per system for the per-alert and per-query lookups: nothing else of the catalog enters the dashboards. */
function cached(system: string): DashboardDoc[] {
  let docs = bySystem.get(system);
  if (!docs) {
    docs = build(system);
    bySystem.set(system, docs);
  }
  return docs;
}

/** The URL path segment Grafana derives from a dashboard title. */
export function slugify(title: string): string {
  return title
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

const titleSlug = memoized(slugify);

function panelsOf(doc: DashboardDoc): PanelJson[] {
  return (doc.json.panels ?? []) as PanelJson[];
}

/**
 * Link to one panel, viewed alone, of a dashboard (scoped to `service` when given).
 * Throws when the dashboard has no panel titled `panelTitle`.
 */
export function dashboardLink(
  catalog: Catalog,
  key: DashboardKey,
  panelTitle: string,
  service?: string,
): { uid: string; panelId: number; url: string } {
  const doc = cached(catalog.system).find((d) => d.key === key);
  const panel = doc && panelsOf(doc).find((p) => p.title === panelTitle);
  if (!doc || !panel) throw new Error(`dashboard ${key} has no panel titled "${panelTitle}"`);
  const query = [
    ...(service === undefined ? [] : [`var-${SERVICE_VAR}=${encodeURIComponent(service)}`]),
    `viewPanel=${panel.id}`,
  ].join("&");
  return {
    uid: doc.uid,
    panelId: panel.id,
    url: flat(`${catalog.grafanaUrl ?? ""}/d/${doc.uid}/${titleSlug(doc.title)}?${query}`),
  };
}

type DashboardLink = ReturnType<typeof dashboardLink>;

/** `dashboardLink` for `catalog`, each distinct dashboard, panel and service computed once. */
export function dashboardLinks(
  catalog: Catalog,
): (key: DashboardKey, panelTitle: string, service?: string) => DashboardLink {
  const links = new Map<DashboardKey, Map<string, Map<string | undefined, DashboardLink>>>();
  return (key, panelTitle, service) => {
    let panels = links.get(key);
    if (!panels) links.set(key, (panels = new Map<string, Map<string | undefined, DashboardLink>>()));
    let services = panels.get(panelTitle);
    if (!services) panels.set(panelTitle, (services = new Map<string | undefined, DashboardLink>()));
    let link = services.get(service);
    if (!link) services.set(service, (link = dashboardLink(catalog, key, panelTitle, service)));
    return link;
  };
}

/** Values of Grafana's built-in interval variables when a query is evaluated outside Grafana. */
const BUILTIN_VALUES: Record<string, string> = {
  [RATE_INTERVAL.slice(1)]: "5m",
  [INTERVAL.slice(1)]: "1m",
  [RANGE.slice(1)]: "1h",
};

function substitute(expr: string, vars: { service: string }): string {
  return expr.replace(/\$(?:\{(\w+)\}|(\w+))/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? "";
    if (name === SERVICE_VAR) return vars.service;
    return Object.hasOwn(BUILTIN_VALUES, name) ? BUILTIN_VALUES[name] : whole;
  });
}

/**
 * Every PromQL expression of every panel and Prometheus annotation, with template variables
 * filled in (`$service` from `vars`, `$__rate_interval` 5m, `$__interval` 1m, `$__range` 1h),
 * ready to evaluate against a Prometheus.
 */
export function panelQueries(
  catalog: Catalog,
  vars: { service: string },
): Array<{ dashboard: DashboardKey; panel: string; expr: string }> {
  const out: Array<{ dashboard: DashboardKey; panel: string; expr: string }> = [];
  for (const doc of cached(catalog.system)) {
    for (const panel of panelsOf(doc)) {
      for (const target of panel.targets ?? []) {
        if (target.expr !== undefined)
          out.push({ dashboard: doc.key, panel: panel.title, expr: substitute(target.expr, vars) });
      }
    }
    const annotations = (doc.json.annotations as { list?: AnnotationJson[] } | undefined)?.list ?? [];
    for (const annotation of annotations) {
      if (annotation.datasource?.type === PROMETHEUS.type && annotation.expr !== undefined) {
        out.push({
          dashboard: doc.key,
          panel: `annotation: ${annotation.name}`,
          expr: substitute(annotation.expr, vars),
        });
      }
    }
  }
  return out;
}

/**
 * `doc` with its `datasource` variable defaulting to data source `uid` (`current`), so its
 * panels query what the alerts query rather than the org's default data source.
 */
export function withDatasource(doc: DashboardDoc, uid: string): DashboardDoc {
  const templating = doc.json.templating as { list: Array<Record<string, unknown>> };
  const list = templating.list.map((v) =>
    v.name === DATASOURCE_VAR ? { ...v, current: { text: uid, value: uid } } : v,
  );
  return { ...doc, json: { ...doc.json, templating: { ...templating, list } } };
}
