/** Rule model → Prometheus rule files: one file per group, the foldable alerts in one group (alerts/fold.ts). */
import { FOLDED_ALERTS, ruleFileName, ruleGroupName } from "../conventions";
import { foldedGroups } from "./fold";
import type { RuleGroup } from "./model";
import { GENERATED_HEADER, toYaml } from "./yaml";

/** `prometheus/rules/<group>.yml` → content. */
export function renderRuleFiles(system: string, groups: RuleGroup[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const g of foldedGroups(groups, ruleGroupName(system, FOLDED_ALERTS)))
    out[`prometheus/rules/${ruleFileName(g.name)}`] = toYaml({ groups: [g] }, GENERATED_HEADER);
  return out;
}
