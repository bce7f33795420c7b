/**
 * `services[].health` → Grafana Synthetic Monitoring HTTP check inputs (no Pulumi). Probes
 * stay names here; the component resolves them to ids. Frequency and timeout are in ms
 * within SM's limits (frequency 1s..1h, timeout at most the frequency and 60s).
 */
import type { Catalog, ProbeAuth, SecretRef } from "../../catalog/model";
import { CatalogError, type Diagnostic } from "../../catalog/diagnostics";
import { probeJob, resourceName } from "../../conventions";

export const SM_LIMITS = { minFrequencyMs: 1000, maxFrequencyMs: 3600_000, maxTimeoutMs: 60_000 } as const;

export interface CheckSpec {
  service: string;
  name: string;
  job: string;
  target: string;
  frequency: number;
  timeout: number;
  probeNames: string[];
  /** Credentials of the probe, by secret name; the component sets them as sensitive `basicAuth` / `bearerToken`. */
  auth?: ProbeAuth;
  enabled: true;
  alertSensitivity: "none";
  basicMetricsOnly: true;
  settings: {
    http: {
      method: "GET" | "HEAD" | "POST";
      ipVersion: "V4";
      validStatusCodes: number[];
      failIfBodyNotMatchesRegexps?: string[];
      failIfNotSsl: boolean;
      noFollowRedirects: false;
    };
  };
}

/** One check per `health:` check (a service with a list has several, sharing its probe job); throws `CatalogError` naming each check SM would refuse. */
export function syntheticChecks(catalog: Catalog): CheckSpec[] {
  const problems: Diagnostic[] = [];
  const specs: CheckSpec[] = [];
  for (const svc of catalog.services)
    for (const [i, h] of svc.health.entries()) {
      const at = h.key ? `services[${svc.name}].health[${i}]` : `services[${svc.name}].health`;
      if (h.everyMs < SM_LIMITS.minFrequencyMs || h.everyMs > SM_LIMITS.maxFrequencyMs)
        problems.push({ path: `${at}.every`, message: "Synthetic Monitoring accepts 1s..1h" });
      if (h.timeoutMs > SM_LIMITS.maxTimeoutMs)
        problems.push({ path: `${at}.timeout`, message: "Synthetic Monitoring accepts at most 60s" });
      if (h.timeoutMs > h.everyMs) problems.push({ path: `${at}.timeout`, message: "must not exceed every" });
      specs.push({
        service: svc.name,
        name: h.key
          ? resourceName(catalog.system, probeJob(svc.name), h.key)
          : resourceName(catalog.system, probeJob(svc.name)),
        job: probeJob(svc.name),
        target: h.url,
        frequency: h.everyMs,
        timeout: h.timeoutMs,
        probeNames: [...h.probes].sort(),
        ...(h.auth ? { auth: h.auth } : {}),
        enabled: true,
        alertSensitivity: "none",
        basicMetricsOnly: true,
        settings: {
          http: {
            method: h.method,
            ipVersion: "V4",
            validStatusCodes: [...h.expectStatus],
            ...(h.expectBody !== undefined ? { failIfBodyNotMatchesRegexps: [h.expectBody] } : {}),
            failIfNotSsl: h.url.startsWith("https://"),
            noFollowRedirects: false,
          },
        },
      });
    }
  if (problems.length) throw new CatalogError(problems, "catalog");
  return specs;
}

/** SM HTTP settings carrying a probe's credentials, each a `secret` value. */
function authSettings<S>(
  auth: ProbeAuth | undefined,
  secret: (ref: SecretRef) => S,
): { basicAuth?: { username: string; password: S }; bearerToken?: S } {
  if (!auth) return {};
  return "bearer" in auth
    ? { bearerToken: secret(auth.bearer) }
    : { basicAuth: { username: auth.username, password: secret(auth.password) } };
}

/** The provider inputs of one check: its credentials as `secret` values, `probes` as given (ids, once resolved). */
export function checkInputs<S, P>(spec: CheckSpec, probes: P, secret: (ref: SecretRef) => S) {
  const { service: _service, name: _name, probeNames: _probeNames, auth, settings, ...inputs } = spec;
  return { ...inputs, settings: { http: { ...settings.http, ...authSettings(auth, secret) } }, probes };
}

/** Probe ids of `names`; throws `CatalogError` naming the service and every unknown probe. */
export function probeIds(service: string, names: string[], available: Record<string, number>): number[] {
  const unknown = names.filter((n) => !Object.hasOwn(available, n));
  if (unknown.length) {
    const message = `unknown Synthetic Monitoring probe ${unknown.join(", ")}; available: ${Object.keys(available).sort().join(", ")}`;
    throw new CatalogError([{ path: `services[${service}].health.probes`, message }]);
  }
  return names.map((n) => available[n]).sort((a, b) => a - b);
}
