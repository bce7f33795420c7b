/**
 * Every input of the Grafana section of a `prod` stack, computed by pure functions before any
 * resource exists (so a catalog Grafana would refuse fails first). The program (`index.ts`) and
 * the direct plan (`../direct-plan.ts`) both register exactly these.
 */
import type { Catalog } from "../../catalog/model";
import type { SecretRef } from "../../catalog/schema";
import type { RuleGroup } from "../../alerts/model";
import { buildDashboards, withDatasource, type DashboardDoc } from "../../dashboards";
import { folderUid } from "../../conventions";
import type { GrafanaSettings } from "../config";
import { syntheticChecks, type CheckSpec } from "./checks";
import { contactPoints, type ContactPointSpec } from "./contact-points";
import { dashboardForGrafana } from "./dashboard-versions";
import { muteTimings, notificationPolicy, type MuteTimingSpec, type RootPolicy } from "./routing";
import type { GrafanaRuleGroup } from "./rule-groups";
import { prodRuleGroups } from "./versions";

/** Everything the Grafana section registers, as plain inputs; `S` carries a secret value. */
export interface GrafanaInputs<S> {
  folder: { uid: string; title: string };
  dashboards: DashboardDoc[];
  ruleGroups: GrafanaRuleGroup[];
  contactPoints: Array<ContactPointSpec<S>>;
  muteTimings: MuteTimingSpec[];
  policy: RootPolicy;
  checks: CheckSpec[];
}

export function grafanaInputs<S>(
  catalog: Catalog,
  rules: RuleGroup[],
  settings: GrafanaSettings,
  secret: (ref: SecretRef) => S,
): GrafanaInputs<S> {
  return {
    folder: { uid: folderUid(catalog.system), title: catalog.folderTitle },
    dashboards: buildDashboards(catalog).map((d) =>
      dashboardForGrafana(withDatasource(d, settings.prometheusDatasourceUid), catalog.grafanaVersion.version),
    ),
    ruleGroups: prodRuleGroups(catalog, rules, settings.prometheusDatasourceUid),
    contactPoints: contactPoints(catalog, secret),
    muteTimings: muteTimings(catalog),
    policy: notificationPolicy(catalog, rules),
    checks: syntheticChecks(catalog),
  };
}
