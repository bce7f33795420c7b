/**
 * What the prod Grafana supports, from `grafana.version` / `grafana.recording_rules`, and the
 * rule model adapted to it: without Grafana-managed recording rules every alert computes the
 * recording rules it reads inline, so every alert still works.
 *
 * Sources: recording rules "Available since Grafana 11.2, requires feature flag
 * 'grafanaManagedRecordingRules'" (terraform-provider-grafana v4.45.1,
 * internal/resources/grafana/resource_alerting_rule_group.go, `record`); a recording rule's
 * `target_datasource_uid` is exercised from Grafana 12.0.0 on (its acceptance test
 * TestAccAlertRule_RecordingRules_TargetDatasourceUID); explicit uids on new rules from 11.5.2;
 * `keep_firing_for` on Grafana-managed alert rules from 12.0 (grafana/grafana#100750, field
 * `KeepFiringFor` of pkg/services/ngalert/models/alert_rule.go, released in 12.0 "Grafana-managed
 * alert rule recovering state"; the provider's `keep_firing_for`, terraform-provider-grafana#2146).
 * `missing_series_evals_to_resolve` and exec-error KeepLast: `GRAFANA_SINCE` in provider-facts.ts.
 */
import type { Catalog } from "../../catalog/model";
import type { RuleGroup } from "../../alerts/model";
import { RecordingRules } from "../../alerts/inline-recording";
import { grafanaRuleGroups, type GrafanaRuleGroup } from "./rule-groups";
import { GRAFANA_SINCE, type GrafanaVersion } from "../provider-facts";

export interface GrafanaFeatures {
  /** Grafana-managed recording rules (`record`). */
  recordingRules: boolean;
  /** An explicit `uid` on each rule. */
  ruleUids: boolean;
  /** `record.targetDatasourceUid` is stored (older versions drop it: a diff on every run). */
  targetDatasourceUid: boolean;
  /** Alert rules keep firing for `keepFiringFor` after their condition cleared, as Prometheus' `keep_firing_for`. */
  keepFiringFor: boolean;
  /** `missingSeriesEvalsToResolve` (older versions always wait 2 evaluations). */
  missingSeriesEvalsToResolve: boolean;
}

export const atLeast = (v: GrafanaVersion, floor: GrafanaVersion) => {
  for (let i = 0; i < 3; i++) if (v[i] !== floor[i]) return v[i] > floor[i];
  return true;
};

export function grafanaFeatures(catalog: Catalog): GrafanaFeatures {
  const { version, recordingRules } = catalog.grafanaVersion;
  return {
    recordingRules: recordingRules && atLeast(version, [11, 2, 0]),
    ruleUids: atLeast(version, [11, 5, 2]),
    targetDatasourceUid: atLeast(version, [12, 0, 0]),
    keepFiringFor: atLeast(version, [12, 0, 0]),
    missingSeriesEvalsToResolve: atLeast(version, GRAFANA_SINCE.missingSeriesEvalsToResolve.version),
  };
}

/**
 * The rule groups the prod Grafana evaluates: as modelled when it runs recording rules;
 * otherwise without recording rules, each alert's expression reading them computed inline,
 * and groups left empty dropped.
 */
export function rulesForGrafana(groups: RuleGroup[], features: GrafanaFeatures): RuleGroup[] {
  if (features.recordingRules) return groups;
  const records = new RecordingRules(groups);
  return groups
    .map((g) => ({
      ...g,
      rules: g.rules.flatMap((r) =>
        r.kind === "record"
          ? []
          : [
              {
                ...r,
                expr: records.expand(r.expr),
                ...(r.ownExpr ? { ownExpr: records.expand(r.ownExpr) } : {}),
                ...(r.holdWhileMissing
                  ? {
                      holdWhileMissing: {
                        ...r.holdWhileMissing,
                        valueExpr: records.expand(r.holdWhileMissing.valueExpr),
                      },
                    }
                  : {}),
                ...(r.grafana ? { grafana: { ...r.grafana, expr: records.expand(r.grafana.expr) } } : {}),
              },
            ],
      ),
    }))
    .filter((g) => g.rules.length > 0);
}

/** The Grafana rule groups the prod stack registers for `groups`: adapted to the version, then converted. */
export function prodRuleGroups(catalog: Catalog, groups: RuleGroup[], datasourceUid: string): GrafanaRuleGroup[] {
  const features = grafanaFeatures(catalog);
  return grafanaRuleGroups(rulesForGrafana(groups, features), { catalog, datasourceUid, features });
}
