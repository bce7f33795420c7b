/**
 * Provider inputs of the Vercel section (no Pulumi), for the program (`environment.ts`) and the
 * direct plan (`../direct-plan.ts`): how a project is found, and each variable's inputs.
 */
import type { Catalog } from "../../catalog/model";
import { vercelEnvSpecs, type VercelEnvSpec } from "../../env/vercel-env";

const PROJECT_ID_PREFIX = "prj_";

/** A catalog `project` starting with `prj_` is the id; any other is a name, looked up with `getProject` (these arguments). */
export function projectLookup(project: string, teamId?: string): { id: string } | { name: string; teamId?: string } {
  return project.startsWith(PROJECT_ID_PREFIX) ? { id: project } : { name: project, ...(teamId ? { teamId } : {}) };
}

/** Inputs of one `ProjectEnvironmentVariable`; `projectId` as resolved, a secret value through `secret`. */
export function variableInputs<P, S>(
  spec: VercelEnvSpec,
  projectId: P,
  teamId: string | undefined,
  secret: (name: string) => S,
) {
  return {
    projectId,
    ...(teamId ? { teamId } : {}),
    key: spec.key,
    value: "secret" in spec.source ? secret(spec.source.secret) : spec.source.value,
    targets: spec.targets,
    sensitive: spec.sensitive,
    comment: `managed by ops-monitoring (service ${spec.service})`,
  };
}

/** The catalog's Vercel variables by project, in catalog order; a project's team is its first variable's. */
export function vercelProjects(catalog: Catalog): Array<{ project: string; teamId?: string; specs: VercelEnvSpec[] }> {
  const byProject = new Map<string, VercelEnvSpec[]>();
  for (const spec of vercelEnvSpecs(catalog))
    byProject.set(spec.project, [...(byProject.get(spec.project) ?? []), spec]);
  return [...byProject].map(([project, specs]) => ({ project, teamId: specs[0].teamId, specs }));
}
