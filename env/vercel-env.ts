/**
 * Vercel environment variables of a catalog as plain data: which project gets which key on
 * which targets, plain value or secret reference, sensitive or not. Pure (no Pulumi, no
 * secret values): the `VercelEnvironment` component, the semantic diff, `secrets`, validation
 * (`vercel-diagnostics.ts`) and the tests all read it.
 */
import type { Catalog } from "../catalog/model";
import type { Diagnostic } from "../catalog/diagnostics";
import { OTEL_ENV, vercelEnvResourceName } from "../conventions";

export type VercelTarget = "production" | "preview" | "development";

/** Canonical target order; specs list targets in it so order edits in the catalog diff nothing. */
export const VERCEL_TARGETS: readonly VercelTarget[] = ["production", "preview", "development"];

/** Where a variable's value comes from: a plain value, or the name of a Pulumi secret config key. */
export type VercelEnvSource = { value: string } | { secret: string };

export interface VercelEnvSpec {
  /** Pulumi resource name, `<project>-<KEY>` (`<project>-<KEY>-<targets>` when the key is several variables). */
  name: string;
  /** Catalog service the project belongs to. */
  service: string;
  /** Vercel project name, or id when it starts with `prj_`. */
  project: string;
  teamId?: string;
  key: string;
  targets: VercelTarget[];
  /** Vercel `sensitive` (unreadable after creation); Vercel allows it on production and preview only. */
  sensitive: boolean;
  source: VercelEnvSource;
  /** `catalog` for `vercel.env` entries, `telemetry` for the OTLP variables every project gets. */
  origin: "catalog" | "telemetry";
  /** Set when the key is several variables (a list, or a secret split off for development): their targets, for names and diffs. */
  part?: string;
  rotateEveryMs?: number;
  /** ISO date of the last rotation. */
  rotatedAt?: string;
}

/** Targets of the OTLP variables: previews must not report as the production service. */
export const OTEL_TARGETS: readonly VercelTarget[] = ["production"];

/** One catalog entry of a Vercel project, as validation and rendering both see it. */
export interface VercelEntryInput {
  key: string;
  /** Catalog path of the entry, for messages: `services[web].vercel.env.KEY` or `…KEY[1]`. */
  path: string;
  source: VercelEnvSource;
  targets: readonly VercelTarget[];
  sensitive?: boolean;
  rotateEveryMs?: number;
  rotatedAt?: string;
}

export interface VercelProjectInput {
  service: string;
  project: string;
  teamId?: string;
  sensitive: "always" | "auto";
  entries: VercelEntryInput[];
}

export interface TelemetryInput {
  endpoint: string;
  headersSecret?: string;
  environment: string;
  system: string;
}

export interface VercelEnvResult {
  specs: VercelEnvSpec[];
  /** What Vercel would refuse: the catalog is invalid. */
  problems: Diagnostic[];
  /** Allowed but probably a mistake (a secret in a `NEXT_PUBLIC_*` variable). */
  warnings: Diagnostic[];
}

const PUBLIC_PREFIX = "NEXT_PUBLIC_";
const ALWAYS = "the team enforces sensitive variables (vercel.sensitive: always)";

/** The OTLP variables of a project, so its telemetry lands where the dashboards look. */
function telemetryEntries(t: TelemetryInput, service: string): Array<{ key: string; source: VercelEnvSource }> {
  return [
    { key: OTEL_ENV.endpoint, source: { value: t.endpoint } },
    ...(t.headersSecret ? [{ key: OTEL_ENV.headers, source: { secret: t.headersSecret } }] : []),
    { key: OTEL_ENV.serviceName, source: { value: service } },
    {
      key: OTEL_ENV.resourceAttributes,
      source: { value: `deployment.environment=${t.environment},service.namespace=${t.system}` },
    },
  ];
}

function sortTargets(targets: readonly VercelTarget[]): VercelTarget[] {
  return VERCEL_TARGETS.filter((t) => targets.includes(t));
}

type Part = { targets: VercelTarget[]; sensitive: boolean };

/**
 * The variables one entry becomes. A secret reaching development together with production or
 * preview becomes two: sensitive on production/preview, non-sensitive (encrypted) on development,
 * because Vercel has no sensitive development variables.
 */
function partsOf(e: VercelEntryInput, policy: "always" | "auto", problems: Diagnostic[]): Part[] {
  const targets = sortTargets(e.targets);
  const dev = targets.includes("development");
  if (policy === "always") {
    if (e.sensitive === false)
      problems.push({ path: `${e.path}.sensitive`, message: `${ALWAYS}: a variable cannot be non-sensitive` });
    if (dev)
      problems.push({
        path: `${e.path}.targets`,
        message: `${ALWAYS}: Vercel has no sensitive development variables, so development cannot be a target; drop it`,
      });
    return [{ targets, sensitive: true }];
  }
  if (e.sensitive === true && dev) {
    problems.push({
      path: `${e.path}.targets`,
      message:
        "a sensitive variable cannot target development (Vercel allows sensitive variables on production and preview only); drop development or sensitive: true",
    });
    return [{ targets, sensitive: true }];
  }
  if (e.sensitive !== undefined) return [{ targets, sensitive: e.sensitive }];
  if (!("secret" in e.source)) return [{ targets, sensitive: false }];
  const shared = targets.filter((t) => t !== "development");
  if (!dev) return [{ targets, sensitive: true }];
  if (shared.length === 0) return [{ targets, sensitive: false }];
  return [
    { targets: shared, sensitive: true },
    { targets: ["development"], sensitive: false },
  ];
}

/**
 * Every Vercel env var of the given projects, sorted by project, key, then targets, with the
 * problems and warnings found on the way. A `vercel.env` entry overrides the generated OTLP
 * variable of the same key.
 */
export function resolveVercelEnv(projects: readonly VercelProjectInput[], telemetry?: TelemetryInput): VercelEnvResult {
  const problems: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const drafts: Array<Omit<VercelEnvSpec, "name" | "part">> = [];
  const owner = new Map<string, string>();
  for (const p of projects) {
    const declared = new Set(p.entries.map((e) => e.key));
    const generated: Array<VercelEntryInput & { origin: "telemetry" }> = (
      telemetry ? telemetryEntries(telemetry, p.service) : []
    )
      .filter((e) => !declared.has(e.key))
      .map((e) => ({
        key: e.key,
        source: e.source,
        path: `services[${p.service}].vercel.env.${e.key}`,
        targets: OTEL_TARGETS,
        origin: "telemetry",
      }));
    // Object.assign onto a literal, not `{ ...e, origin }`: V8 gives every object built by a spread
    // followed by a new property a hidden class of its own, and every later read of them goes megamorphic.
    const own = p.entries.map((e) => Object.assign({ origin: "catalog" as const }, e));
    const seenTargets = new Map<string, Array<{ path: string; targets: readonly VercelTarget[] }>>();
    for (const e of [...generated, ...own]) {
      const id = `${p.project}\u0000${e.key}`;
      const other = owner.get(id);
      if (other !== undefined && other !== p.service) {
        const what = e.origin === "telemetry" ? `the OTLP variable ${e.key} (from telemetry:)` : e.key;
        problems.push({
          path: e.path,
          message: `Vercel project ${p.project} already gets ${what} from service ${other}`,
        });
        continue;
      }
      owner.set(id, p.service);
      const earlier = seenTargets.get(e.key) ?? [];
      const clash = earlier.find((x) => x.targets.some((t) => e.targets.includes(t)));
      if (clash) {
        const shared = sortTargets(clash.targets.filter((t) => e.targets.includes(t)));
        problems.push({
          path: `${e.path}.targets`,
          message: `overlaps ${clash.path} on ${shared.join(", ")}: the entries of a key need disjoint targets`,
        });
        continue;
      }
      seenTargets.set(e.key, [...earlier, { path: e.path, targets: e.targets }]);
      if ("secret" in e.source && e.key.startsWith(PUBLIC_PREFIX))
        warnings.push({
          path: e.path,
          message: `a ${PUBLIC_PREFIX}* variable is inlined into the browser bundle: this secret ships to every visitor`,
        });
      for (const part of partsOf(e, p.sensitive, problems)) {
        drafts.push({
          service: p.service,
          project: p.project,
          ...(p.teamId !== undefined ? { teamId: p.teamId } : {}),
          key: e.key,
          targets: part.targets,
          sensitive: part.sensitive,
          source: e.source,
          origin: e.origin,
          ...(e.rotateEveryMs !== undefined ? { rotateEveryMs: e.rotateEveryMs } : {}),
          ...(e.rotatedAt !== undefined ? { rotatedAt: e.rotatedAt } : {}),
        });
      }
    }
  }
  const perKey = new Map<string, number>();
  for (const d of drafts) perKey.set(`${d.project}\u0000${d.key}`, (perKey.get(`${d.project}\u0000${d.key}`) ?? 0) + 1);
  const specs = drafts.map((d): VercelEnvSpec => {
    const several = perKey.get(`${d.project}\u0000${d.key}`)! > 1;
    return Object.assign(
      {},
      d,
      { name: vercelEnvResourceName(d.project, d.key, several ? d.targets : undefined) },
      several ? { part: d.targets.join(",") } : {},
    );
  });
  specs.sort(
    (a, b) =>
      cmp(a.project, b.project) ||
      cmp(a.key, b.key) ||
      VERCEL_TARGETS.indexOf(a.targets[0]) - VERCEL_TARGETS.indexOf(b.targets[0]),
  );
  return { specs, problems, warnings };
}

/** The projects of a validated catalog as `resolveVercelEnv` inputs. */
export function vercelProjectsOf(catalog: Catalog): VercelProjectInput[] {
  return catalog.services.flatMap((s): VercelProjectInput[] => {
    const v = s.vercel;
    if (!v) return [];
    const count = new Map<string, number>();
    for (const e of v.env) count.set(e.key, (count.get(e.key) ?? 0) + 1);
    const index = new Map<string, number>();
    return [
      {
        service: s.name,
        project: v.project,
        ...(v.teamId !== undefined ? { teamId: v.teamId } : {}),
        sensitive: v.sensitive,
        entries: v.env.map((e): VercelEntryInput => {
          const i = index.get(e.key) ?? 0;
          index.set(e.key, i + 1);
          return {
            key: e.key,
            path: `services[${s.name}].vercel.env.${e.key}${count.get(e.key)! > 1 ? `[${i}]` : ""}`,
            source: e.secret !== undefined ? { secret: e.secret } : { value: e.value ?? "" },
            targets: e.targets,
            ...(e.sensitive !== undefined ? { sensitive: e.sensitive } : {}),
            ...(e.rotateEveryMs !== undefined ? { rotateEveryMs: e.rotateEveryMs } : {}),
            ...(e.rotatedAt !== undefined ? { rotatedAt: e.rotatedAt } : {}),
          };
        }),
      },
    ];
  });
}

/** The telemetry settings of a validated catalog as a `resolveVercelEnv` input. */
export function telemetryOf(catalog: Catalog): TelemetryInput | undefined {
  const t = catalog.telemetry;
  return (
    t && {
      endpoint: t.otlpEndpoint,
      headersSecret: t.otlpHeaders?.secret,
      environment: catalog.environment,
      system: catalog.system,
    }
  );
}

/**
 * Every Vercel env var of a validated catalog, sorted by project then key. Validation has
 * already refused what Vercel would (see `vercelEnvDiagnostics`).
 */
export function vercelEnvSpecs(catalog: Catalog): VercelEnvSpec[] {
  return resolveVercelEnv(vercelProjectsOf(catalog), telemetryOf(catalog)).specs;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
