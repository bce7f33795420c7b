/** Dashboard model → the `configJson` Grafana keeps: our uid, no `id`/`version` (Grafana owns those), keys sorted. */
import type { DashboardDoc } from "../../dashboards";
import { canonicalJson } from "./canonical";

export function dashboardConfigJson(doc: DashboardDoc): string {
  const { id: _id, version: _version, ...json } = doc.json;
  return canonicalJson({ ...json, uid: doc.uid, title: doc.title });
}
