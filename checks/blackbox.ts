/** Synthetic checks → blackbox exporter modules, one per distinct probe expectation. */
import type { Catalog, HealthCheck, ProbeAuth } from "../catalog/model";
import { memoized } from "../catalog/memo";
import { formatDuration } from "../catalog/units";
import { blackboxModuleName, secretFileName } from "../conventions";
import { GENERATED_HEADER, toYaml } from "../alerts/yaml";

/** Probe interval and timeout as run; the local profile probes at most every 5s. */
export function probeTiming(h: HealthCheck, profile: "prod" | "local"): { everyMs: number; timeoutMs: number } {
  const everyMs = profile === "local" ? Math.min(h.everyMs, 5000) : h.everyMs;
  return { everyMs, timeoutMs: Math.min(h.timeoutMs, everyMs) };
}

/**
 * Prometheus' HTTP client auth with the secret read from a file: `basic_auth.password_file`
 * or `authorization.credentials_file` (blackbox modules and scrape jobs share this shape).
 */
export function httpClientAuth(auth: ProbeAuth | undefined, secretsDir: string): Record<string, unknown> {
  if (!auth) return {};
  if ("bearer" in auth)
    return {
      authorization: { type: "Bearer", credentials_file: `${secretsDir}/${secretFileName(auth.bearer.secret)}` },
    };
  return {
    basic_auth: { username: auth.username, password_file: `${secretsDir}/${secretFileName(auth.password.secret)}` },
  };
}

function moduleSpec(h: HealthCheck, timeoutMs: number, secretsDir: string): Record<string, unknown> {
  return {
    prober: "http",
    timeout: formatDuration(timeoutMs),
    http: {
      method: h.method,
      valid_status_codes: h.expectStatus,
      ...(h.expectBody ? { fail_if_body_not_matches_regexp: [h.expectBody] } : {}),
      preferred_ip_protocol: "ip4",
      follow_redirects: true,
      ...httpClientAuth(h.auth, secretsDir),
    },
  };
}

/** Checks share a few distinct modules: each is hashed once. */
const moduleName = memoized(blackboxModuleName);

/** The module a check uses; checks with equal expectations share one. */
export function blackboxModule(
  h: HealthCheck,
  profile: "prod" | "local",
  secretsDir: string,
): { name: string; spec: Record<string, unknown> } {
  const spec = moduleSpec(h, probeTiming(h, profile).timeoutMs, secretsDir);
  return { name: moduleName(JSON.stringify(spec)), spec };
}

export function renderBlackbox(catalog: Catalog, profile: "prod" | "local", secretsDir: string): string {
  const modules: Record<string, unknown> = {};
  for (const h of catalog.services.flatMap((s) => s.health)) {
    const m = blackboxModule(h, profile, secretsDir);
    modules[m.name] = m.spec;
  }
  const sorted = Object.fromEntries(
    Object.keys(modules)
      .sort()
      .map((k) => [k, modules[k]]),
  );
  return toYaml({ modules: sorted }, GENERATED_HEADER);
}
