/**
 * The rendered monitoring of one catalog, as the semantic differ compares it: rule model,
 * dashboards, routing, synthetic checks, Vercel and GitHub specs, and every artifact file.
 */
import type { Alerting, Catalog, HealthCheck } from "../catalog/model";
import { renderArtifacts, ruleGroupsOf, type Artifacts } from "../artifacts";
import type { RuleGroup } from "../alerts/model";
import { detectionBounds, targetTiming, type DetectionBound } from "../alerts/detection-bounds";
import { buildDashboards, type DashboardDoc } from "../dashboards";
import { vercelEnvSpecs, type VercelEnvSpec } from "../env/vercel-env";
import { githubActionsSpecs, type GitHubActionsSpec } from "../env/github-actions";

export interface MonitoringModel {
  rules: RuleGroup[];
  /** Worst-case detection time of every alert in the prod target. */
  bounds: DetectionBound[];
  dashboards: DashboardDoc[];
  alerting?: Alerting;
  checks: Array<{ service: string; health: HealthCheck }>;
  vercel: VercelEnvSpec[];
  github: GitHubActionsSpec[];
  artifacts: Artifacts;
}

/** What there is before a catalog exists. */
export const EMPTY_MODEL: MonitoringModel = {
  rules: [],
  bounds: [],
  dashboards: [],
  checks: [],
  vercel: [],
  github: [],
  artifacts: {},
};

/** Renders a catalog with the same pure functions the CLI and the Pulumi program use (prod profile). */
export function monitoringModel(catalog: Catalog, customRules: Record<string, string>): MonitoringModel {
  const rules = ruleGroupsOf(catalog, { customRules, profile: "prod" });
  return {
    rules,
    bounds: detectionBounds(rules, targetTiming(catalog, "prod")),
    dashboards: buildDashboards(catalog),
    alerting: catalog.alerting,
    checks: catalog.services.flatMap((s) =>
      s.health.map((health) => ({ service: health.key ? `${s.name} ${health.key}` : s.name, health })),
    ),
    vercel: vercelEnvSpecs(catalog),
    github: githubActionsSpecs(catalog),
    artifacts: renderArtifacts(catalog, { customRules }),
  };
}
