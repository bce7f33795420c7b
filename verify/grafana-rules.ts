/**
 * The prod half of `verify`: the rule model converted to Grafana-managed rule groups exactly as
 * `plan` converts it (same Grafana version features), and checked against the same provider
 * facts, so a green `verify` never meets a rule-group refusal at `plan`. Refusals of the
 * conversion itself (e.g. `keep_firing_for` before Grafana 12) throw the same `CatalogError`.
 */
import type { Catalog } from "../catalog/model";
import type { RuleGroup } from "../alerts/model";
import { folderUid, resourceName } from "../conventions";
import { prodRuleGroups } from "../infra/grafana/versions";
import { checkResource, formatSource } from "../infra/provider-facts";
import type { CheckResult } from "./checks";

const RULE_GROUP_TYPE = "grafana:alerting/ruleGroup:RuleGroup";
/** Data source uid the check converts with; facts do not depend on its value. */
const ANY_DATASOURCE = "prometheus";

export function grafanaRulesCheck(catalog: Catalog, groups: RuleGroup[]): CheckResult {
  const converted = prodRuleGroups(catalog, groups, ANY_DATASOURCE);
  const violations = converted.flatMap((g) =>
    checkResource(RULE_GROUP_TYPE, resourceName(g.name), { ...g, folderUid: folderUid(catalog.system) }),
  );
  const rules = converted.reduce((n, g) => n + g.rules.length, 0);
  return {
    name: "grafana rule groups (provider facts)",
    ok: violations.length === 0,
    detail: violations.length
      ? violations.map((v) => `${v.name}: ${v.field || "(resource)"} ${v.says} [${formatSource(v.source)}]`).join("\n")
      : `${converted.length} groups, ${rules} rules as plan sends them to Grafana ${catalog.grafanaVersion.version.join(".")}`,
  };
}
