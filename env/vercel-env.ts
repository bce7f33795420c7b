/**
 * Vercel environment variables of a catalog as plain data: which project gets which key on
 * which targets, plain value or secret reference. Pure (no Pulumi, no secret values): the
 * `VercelEnvironment` component, the semantic diff, `secrets` and the tests all read it.
 */
import type { Catalog, Service } from "../catalog/model";
import { CatalogError, type Diagnostic } from "../catalog/diagnostics";
import { OTEL_ENV, vercelEnvResourceName } from "../conventions";

export type VercelTarget = "production" | "preview" | "development";

/** Canonical target order; specs list targets in it so order edits in the catalog diff nothing. */
export const VERCEL_TARGETS: readonly VercelTarget[] = ["production", "preview", "development"];

/** Where a variable's value comes from: a plain value, or the name of a Pulumi secret config key. */
export type VercelEnvSource = { value: string } | { secret: string };

export interface VercelEnvSpec {
  /** Pulumi resource name, `<project>-<KEY>`. */
  name: string;
  /** Catalog service the project belongs to. */
  service: string;
  /** Vercel project name, or id when it starts with `prj_`. */
  project: string;
  teamId?: string;
  key: string;
  targets: VercelTarget[];
  /** Vercel `sensitive`: true for secrets (unreadable after creation); Vercel forbids it on development-only variables. */
  sensitive: boolean;
  source: VercelEnvSource;
  /** `catalog` for `vercel.env` entries, `telemetry` for the OTLP variables every project gets. */
  origin: "catalog" | "telemetry";
  rotateEveryMs?: number;
  /** ISO date of the last rotation. */
  rotatedAt?: string;
}

/** Targets of the OTLP variables: previews must not report as the production service. */
export const OTEL_TARGETS: readonly VercelTarget[] = ["production"];

/**
 * The OTLP variables of a service's Vercel project, so its telemetry lands where the dashboards
 * look: endpoint, headers (a secret), service name and resource attributes.
 */
function telemetryEnv(catalog: Catalog, service: Service): Array<{ key: string; source: VercelEnvSource }> {
  const t = catalog.telemetry;
  if (!t) return [];
  return [
    { key: OTEL_ENV.endpoint, source: { value: t.otlpEndpoint } },
    ...(t.otlpHeaders ? [{ key: OTEL_ENV.headers, source: { secret: t.otlpHeaders.secret } }] : []),
    { key: OTEL_ENV.serviceName, source: { value: service.name } },
    {
      key: OTEL_ENV.resourceAttributes,
      source: { value: `deployment.environment=${catalog.environment},service.namespace=${catalog.system}` },
    },
  ];
}

/** One variable of a project before validation. */
type Entry = Pick<VercelEnvSpec, "key" | "source" | "origin" | "rotateEveryMs" | "rotatedAt"> & { targets: readonly VercelTarget[] };

function sortTargets(targets: readonly VercelTarget[]): VercelTarget[] {
  return VERCEL_TARGETS.filter((t) => targets.includes(t));
}

/**
 * Every Vercel env var of the catalog, sorted by project then key. A `vercel.env` entry
 * overrides the generated OTLP variable of the same key. Throws `CatalogError` listing every
 * problem: the same project and key declared twice, or a secret reaching `development` together
 * with production/preview (Vercel's sensitive variables exist only in production and preview).
 */
export function vercelEnvSpecs(catalog: Catalog): VercelEnvSpec[] {
  const problems: Diagnostic[] = [];
  const specs = new Map<string, VercelEnvSpec>();
  for (const service of catalog.services) {
    const v = service.vercel;
    if (!v) continue;
    const declared = new Set(v.env.map((e) => e.key));
    const generated: Entry[] = telemetryEnv(catalog, service)
      .filter((e) => !declared.has(e.key))
      .map((e) => ({ ...e, targets: OTEL_TARGETS, origin: "telemetry" }));
    const own: Entry[] = v.env.map((e) => ({
      key: e.key,
      source: e.secret !== undefined ? { secret: e.secret } : { value: e.value ?? "" },
      targets: e.targets,
      origin: "catalog",
      ...(e.rotateEveryMs !== undefined ? { rotateEveryMs: e.rotateEveryMs } : {}),
      ...(e.rotatedAt !== undefined ? { rotatedAt: e.rotatedAt } : {}),
    }));
    for (const e of [...generated, ...own]) {
      const path = `services[${service.name}].vercel.env.${e.key}`;
      const name = vercelEnvResourceName(v.project, e.key);
      const other = specs.get(name);
      if (other) {
        const what = e.origin === "telemetry" ? `the OTLP variable ${e.key} (from telemetry:)` : e.key;
        problems.push({ path, message: `Vercel project ${v.project} already gets ${what} from service ${other.service}` });
        continue;
      }
      const targets = sortTargets(e.targets);
      const secret = "secret" in e.source;
      if (secret && targets.includes("development") && targets.length > 1) {
        problems.push({
          path: `${path}.targets`,
          message: "a secret cannot reach development together with production or preview (Vercel sensitive variables exist only there); drop development",
        });
        continue;
      }
      specs.set(name, {
        ...e,
        name,
        service: service.name,
        project: v.project,
        ...(v.teamId !== undefined ? { teamId: v.teamId } : {}),
        targets,
        sensitive: secret && !(targets.length === 1 && targets[0] === "development"),
      });
    }
  }
  if (problems.length) throw new CatalogError(problems, "catalog");
  return [...specs.values()].sort((a, b) => cmp(a.project, b.project) || cmp(a.key, b.key));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
