/** Paid third-party APIs: quota used per period and failure rate of calls. */
import type { ExternalApi } from "../catalog/model";
import { formatNumber, formatPercent } from "../catalog/units";
import { API_LABEL, METRIC, OUTCOME, OUTCOME_LABEL, PANEL, REC } from "../conventions";
import { alertRule, recordingRule } from "./alert";
import type { GenContext } from "./context";
import type { InputSeries, Rule } from "./model";
import { counter, gauge } from "./synth";

export function externalApiRules(ctx: GenContext, api: ExternalApi): Rule[] {
  const rules: Rule[] = [];
  const apiSel = `${API_LABEL}="${api.name}"`;
  const labels = { [API_LABEL]: api.name };
  const steps = 30;
  if (api.quota !== undefined) {
    const alertAt = api.quota * api.alertAt;
    const used = (v: number): InputSeries[] => [{ series: `${METRIC.quotaUsed}{${apiSel}}`, values: gauge(v, steps) }];
    rules.push(
      recordingRule(`${api.name}/rec/quota_limit`, REC.quotaLimit, `vector(${formatNumber(api.quota)})`, labels),
      recordingRule(`${api.name}/rec/quota_alert_at`, REC.quotaAlertAt, `vector(${formatNumber(alertAt)})`, labels),
      alertRule(ctx, {
        id: `${api.name}/quota`,
        alert: "ExternalApiQuotaHigh",
        expr: `max(${METRIC.quotaUsed}{${apiSel}}) >= ${formatNumber(alertAt)}`,
        forMs: 0,
        service: api.name,
        team: api.team,
        severity: api.severity,
        signal: "quota",
        summary: `${api.name} has used ${formatPercent(api.alertAt)} of its ${api.quota}-call ${api.period}ly quota`,
        description: `${api.name} calls this ${api.period} reached ${formatNumber(alertAt)} of ${api.quota} (${formatPercent(api.alertAt)}). When the quota runs out its features stop working until the period resets.`,
        runbook: "quota",
        dashboard: { key: "external-apis", panel: PANEL.quotaUsed },
        noData: "OK",
        threshold: formatPercent(api.alertAt),
        test: { fire: used(Math.ceil(alertAt)), quiet: used(Math.floor(alertAt / 2)), evalAfterMs: 5 * 60_000, intervalMs: 60_000 },
      }),
    );
  }
  const calls = (outcome: string) => `sum(rate(${METRIC.externalApiRequests}{${apiSel}${outcome}}[5m]))`;
  for (const t of api.failureRate) {
    const evalAfterMs = t.forMs + 10 * 60_000;
    const n = Math.ceil(evalAfterMs / 60_000) + 5;
    const share = (failure: number): InputSeries[] => [
      { series: `${METRIC.externalApiRequests}{${apiSel}, ${OUTCOME_LABEL}="${OUTCOME.failure}"}`, values: counter(Math.round(failure * 10_000), n) },
      { series: `${METRIC.externalApiRequests}{${apiSel}, ${OUTCOME_LABEL}="${OUTCOME.success}"}`, values: counter(Math.round((1 - failure) * 10_000), n) },
    ];
    rules.push(
      alertRule(ctx, {
        id: `${api.name}/failure_rate/${t.severity}`,
        alert: "ExternalApiFailureRateHigh",
        expr: `(${calls(`, ${OUTCOME_LABEL}="${OUTCOME.failure}"`)} or vector(0)) / ${calls("")} > ${formatNumber(t.value)}`,
        forMs: t.forMs,
        service: api.name,
        team: api.team,
        severity: t.severity,
        signal: "error_rate",
        summary: `${api.name} calls failing above ${t.display}`,
        description: `More than ${t.display} of calls to ${api.name} failed over 5m.`,
        runbook: "error_rate",
        dashboard: { key: "external-apis", panel: PANEL.apiFailureRate },
        noData: "OK",
        threshold: t.display,
        test: { fire: share((t.value + 1) / 2), quiet: share(t.value / 2), evalAfterMs, intervalMs: 60_000 },
      }),
    );
  }
  return rules;
}
