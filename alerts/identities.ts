/**
 * Identities every target needs distinct, checked on the rule model so `render` and `verify`
 * refuse what `plan` would: rule ids (Grafana rule uids derive from them, slugged, and titles
 * from them) and rule group names (Prometheus rule file names, Grafana group names).
 */
import { CatalogError, type Diagnostic } from "../catalog/diagnostics";
import { ruleUid } from "../conventions";
import type { RuleGroup } from "./model";

export function checkIdentities(system: string, groups: RuleGroup[]): void {
  const problems: Diagnostic[] = [];
  const groupNames = new Set<string>();
  const uids = new Map<string, string>();
  for (const g of groups) {
    if (groupNames.has(g.name))
      problems.push({ path: "rules", message: `two rule groups are named ${g.name}; rename one` });
    groupNames.add(g.name);
    for (const rule of g.rules) {
      const uid = ruleUid(system, rule.id);
      const clash = uids.get(uid);
      if (clash !== undefined)
        problems.push({
          path: "rules",
          message: `${clash} and ${rule.id} map to the same Grafana rule uid ${uid}; rename one`,
        });
      else uids.set(uid, rule.id);
    }
  }
  if (problems.length) throw new CatalogError(problems);
}
