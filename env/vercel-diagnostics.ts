/**
 * What Vercel would refuse in a catalog's `vercel:` sections, found on the raw catalog so it is
 * reported in the same pass as the schema and the other cross-checks: a key twice on one
 * project, list entries with overlapping targets, sensitive variables where Vercel has none
 * (development, or anywhere on a team enforcing sensitive variables). Also the warnings
 * (a secret `NEXT_PUBLIC_*` variable). Malformed parts are skipped: the schema reports them.
 */
import type { Diagnostic } from "../catalog/diagnostics";
import { DEFAULTS } from "../conventions";
import {
  resolveVercelEnv,
  VERCEL_TARGETS,
  type TelemetryInput,
  type VercelEntryInput,
  type VercelProjectInput,
  type VercelTarget,
} from "./vercel-env";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function entryOf(key: string, path: string, raw: unknown): VercelEntryInput | undefined {
  if (!isObj(raw)) return undefined;
  const secret = isObj(raw.secret) ? undefined : str(raw.secret);
  const value = str(raw.value);
  if ((secret === undefined) === (value === undefined)) return undefined;
  const targets = Array.isArray(raw.targets)
    ? raw.targets.filter((t): t is VercelTarget => VERCEL_TARGETS.includes(t as VercelTarget))
    : [...DEFAULTS.vercelTargets];
  return {
    key,
    path,
    source: secret !== undefined ? { secret } : { value: value! },
    targets,
    ...(typeof raw.sensitive === "boolean" ? { sensitive: raw.sensitive } : {}),
  };
}

function projectsOf(raw: Obj): VercelProjectInput[] {
  const out: VercelProjectInput[] = [];
  (Array.isArray(raw.services) ? raw.services : []).forEach((svc, i) => {
    if (!isObj(svc) || !isObj(svc.vercel)) return;
    const v = svc.vercel;
    const project = str(v.project);
    if (!project) return;
    const service = str(svc.name) ?? String(i);
    const entries: VercelEntryInput[] = [];
    for (const [key, value] of Object.entries(isObj(v.env) ? v.env : {})) {
      const base = `services[${service}].vercel.env.${key}`;
      if (Array.isArray(value)) {
        value.forEach((item, j) => {
          const e = entryOf(key, value.length > 1 ? `${base}[${j}]` : base, item);
          if (e) entries.push(e);
        });
      } else {
        const e = entryOf(key, base, value);
        if (e) entries.push(e);
      }
    }
    out.push({ service, project, sensitive: v.sensitive === "always" ? "always" : "auto", entries });
  });
  return out;
}

function telemetryOf(raw: Obj): TelemetryInput | undefined {
  if (!isObj(raw.telemetry)) return undefined;
  const endpoint = str(raw.telemetry.otlp_endpoint);
  if (!endpoint) return undefined;
  const headers = raw.telemetry.otlp_headers;
  return {
    endpoint,
    headersSecret: isObj(headers) ? str(headers.secret) : undefined,
    environment: str(raw.environment) ?? DEFAULTS.environment,
    system: str(raw.system) ?? "",
  };
}

/** Problems and warnings of the raw catalog's Vercel env vars. */
export function vercelEnvDiagnostics(raw: unknown): { problems: Diagnostic[]; warnings: Diagnostic[] } {
  if (!isObj(raw)) return { problems: [], warnings: [] };
  const { problems, warnings } = resolveVercelEnv(projectsOf(raw), telemetryOf(raw));
  return { problems, warnings };
}
