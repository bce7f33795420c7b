/** Synthetic checks (`<service>` or, for one of several, `<service> <check>`), compared field by field. */
import type { HealthCheck } from "../catalog/model";
import { formatDuration } from "../catalog/units";
import { change, keyed, list } from "./text";

function fields(h: HealthCheck): Record<string, string | undefined> {
  return {
    url: h.url,
    method: h.method,
    every: formatDuration(h.everyMs),
    timeout: formatDuration(h.timeoutMs),
    expect_status: list(h.expectStatus.map(String)),
    expect_body: h.expectBody,
    severity: h.severity,
    for: formatDuration(h.forMs),
    tls_expiry: h.tlsExpiryMs === undefined ? undefined : formatDuration(h.tlsExpiryMs),
    probes: list(h.probes),
  };
}

export function diffChecks(
  before: ReadonlyArray<{ service: string; health: HealthCheck }>,
  after: ReadonlyArray<{ service: string; health: HealthCheck }>,
): string[] {
  const lines: string[] = [];
  for (const [service, a, b] of keyed(before, after, (c) => c.service)) {
    if (!a) lines.push(`check ${service}: added (${b!.health.url} every ${formatDuration(b!.health.everyMs)})`);
    else if (!b) lines.push(`check ${service}: removed`);
    else {
      const fa = fields(a.health);
      const fb = fields(b.health);
      const changes = Object.keys(fb).flatMap((k) => change(k, fa[k], fb[k]));
      if (changes.length) lines.push(`check ${service}: ${changes.join("; ")}`);
    }
  }
  return lines;
}
