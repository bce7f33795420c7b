/** Synthetic-check alerts: probe down (every location failing) and TLS certificate expiry. */
import { escapeTemplateText } from "../catalog/template-text";
import type { Service } from "../catalog/model";
import { formatDuration, formatNumber, parseDuration } from "../catalog/units";
import { DEFAULTS, DEFAULT_SEVERITY, METRIC, PANEL, probeSelector } from "../conventions";
import { alertRule } from "./alert";
import type { GenContext } from "./context";
import type { InputSeries, Rule } from "./model";
import { gauge } from "./synth";

export function probeRules(ctx: GenContext, svc: Service): Rule[] {
  const h = svc.health;
  if (!h) return [];
  const job = `{${probeSelector(svc.name)}}`;
  const instance = `${METRIC.probeSuccess}{${probeSelector(svc.name)}, instance="${h.url}"}`;
  const steps = 30;
  const probeSeries = (v: number): InputSeries[] => [{ series: instance, values: gauge(v, steps) }];
  const rules: Rule[] = [
    alertRule(ctx, {
      id: `${svc.name}/probe`,
      alert: "ProbeDown",
      expr: `max(${METRIC.probeSuccess}${job}) < 1`,
      forMs: h.forMs,
      service: svc.name,
      team: svc.team,
      severity: h.severity,
      signal: "probe",
      summary: `${svc.name} is down: ${h.url} fails its health check`,
      description: `Every probe of ${h.url} failed for ${formatDuration(h.forMs)} (expects status ${h.expectStatus.join(", ")}${h.expectBody ? ` and body matching ${escapeTemplateText(h.expectBody)}` : ""} within ${formatDuration(h.timeoutMs)}).`,
      runbook: "probe",
      dashboard: { key: "synthetics", panel: PANEL.probeSuccess },
      noData: "Alerting",
      test: { fire: probeSeries(0), quiet: probeSeries(1), evalAfterMs: h.forMs + 5 * 60_000, intervalMs: 60_000 },
    }),
  ];
  if (h.tlsExpiryMs !== undefined) {
    const criticalMs = Math.min(parseDuration(DEFAULTS.tlsCritical)!, h.tlsExpiryMs);
    const levels = [
      { severity: DEFAULT_SEVERITY.tlsWarning, withinMs: h.tlsExpiryMs },
      { severity: DEFAULT_SEVERITY.tlsCritical, withinMs: criticalMs },
    ] as const;
    for (const { severity, withinMs } of levels) {
      const expiry = (daysFromEpoch: number): InputSeries[] => [
        { series: `${METRIC.probeSslExpiry}{${probeSelector(svc.name)}, instance="${h.url}"}`, values: gauge(daysFromEpoch * 86400, steps) },
      ];
      const within = formatDuration(withinMs);
      rules.push(
        alertRule(ctx, {
          id: `${svc.name}/tls/${severity}`,
          alert: "TlsCertificateExpiring",
          expr: `min(${METRIC.probeSslExpiry}${job}) - time() < ${formatNumber(withinMs / 1000)}`,
          forMs: 10 * 60_000,
          service: svc.name,
          team: svc.team,
          severity,
          signal: "tls",
          summary: `${svc.name} TLS certificate expires within ${within}`,
          description: `The certificate served at ${h.url} expires in less than ${within}; renew it (Vercel and Supabase renew automatically — check the custom domain's DNS).`,
          runbook: "tls",
          dashboard: { key: "synthetics", panel: PANEL.tlsDaysLeft },
          noData: "OK",
          threshold: within,
          test: {
            fire: expiry(withinMs / 86400_000 / 2),
            quiet: expiry(withinMs / 86400_000 * 2 + 1),
            evalAfterMs: 15 * 60_000,
            intervalMs: 60_000,
          },
        }),
      );
    }
  }
  return rules;
}
