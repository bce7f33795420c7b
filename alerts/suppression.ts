/**
 * Inhibition written into the rule expressions, so the same PromQL suppresses the same alerts
 * in Prometheus and in Grafana-managed rules (Grafana before 13 has no inhibition, and its rules
 * write no `ALERTS` series to read). Per service, an alert is dropped from its own result while
 * a source condition has held for the source's `for` (the moment the source alert fires):
 *
 * - any P0 alert of the service suppresses its P1–P3 alerts;
 * - a P1 alert suppresses the P2/P3 alerts of the same name;
 * - ProbeDown suppresses the service's error-rate, availability, latency and SLO alerts.
 *
 * Sources are read as written (never suppressed themselves), matched with `on()` because every
 * source belongs to the target's service (as Alertmanager's `equal: [service]`). Alerts of the
 * monitoring service itself (Watchdog, NotificationsFailing) are never suppressed. Escalated
 * copies are built from the suppressed expressions, so they are suppressed with their alert.
 * Rules from rule files are deployed as published: they neither are suppressed nor suppress.
 */
import { formatDuration } from "../catalog/units";
import { LABEL, MONITORING_SERVICE, PROBE_DOWN_ALERT } from "../conventions";
import type { AlertRule, RuleGroup } from "./model";

/** `localeCompare`'s order, without its per-call collator. */
const BY_LOCALE = new Intl.Collator().compare;
const PROBE_SUPPRESSED: ReadonlySet<string> = new Set(["error_rate", "availability", "latency", "slo_burn"]);

/** Labels of a suppressing alert: an alert suppresses a target when it has every label given. */
export interface SuppressingMatcher {
  readonly severity?: string;
  readonly alert?: string;
}

const matchersByKind = new Map<string, readonly SuppressingMatcher[]>();

/** What the alerts of `target`'s service that suppress it have: any one of these label sets. */
export function suppressingMatchers(target: AlertRule): readonly SuppressingMatcher[] {
  if (target.labels.service === MONITORING_SERVICE) return [];
  const t = target.labels.severity;
  const kind = `${t}|${target.alert}|${target.labels.signal}`;
  let out = matchersByKind.get(kind);
  if (!out) {
    const list: SuppressingMatcher[] = [];
    if (t !== "P0") list.push({ severity: "P0" });
    if (t === "P2" || t === "P3") list.push({ severity: "P1", alert: target.alert });
    if (PROBE_SUPPRESSED.has(target.labels.signal)) list.push({ alert: PROBE_DOWN_ALERT });
    matchersByKind.set(kind, (out = list));
  }
  return out;
}

/** Whether an alert with these labels has every label of one of `matchers`. */
export function matchesAny(labels: Record<string, string>, matchers: readonly SuppressingMatcher[]): boolean {
  for (const m of matchers)
    if (
      (m.severity === undefined || labels[LABEL.severity] === m.severity) &&
      (m.alert === undefined || labels[LABEL.alert] === m.alert)
    )
      return true;
  return false;
}

/** Non-empty while `rule`'s condition has held at every step of its `for` (at once when it has none). */
export function heldExpr(rule: AlertRule, intervalMs: number): string {
  if (rule.forMs === 0) return `(${rule.expr})`;
  return `(min_over_time((count(${rule.expr}) or vector(0))[${formatDuration(rule.forMs)}:${formatDuration(intervalMs)}]) > 0)`;
}

/** `expr` without any result while one of `sources` holds. */
export function suppressedExpr(expr: string, sources: readonly string[]): string {
  return sources.length ? `(${expr}) unless on () (${sources.join(" or ")})` : expr;
}

/** The groups with each alert's suppression (by the alerts of its service) written into its expression. */
export function withSuppression(groups: RuleGroup[]): RuleGroup[] {
  const byService = new Map<
    string,
    Array<{ rule: AlertRule; intervalMs: number; held?: NonNullable<AlertRule["suppressedBy"]>[number] }>
  >();
  for (const g of groups)
    for (const rule of g.rules)
      if (rule.kind === "alert" && rule.labels.service !== MONITORING_SERVICE) {
        const list = byService.get(rule.labels.service) ?? [];
        list.push({ rule, intervalMs: g.intervalMs });
        byService.set(rule.labels.service, list);
      }
  // Sorted once per service: filtering keeps the order.
  for (const list of byService.values()) list.sort((a, b) => BY_LOCALE(a.rule.id, b.rule.id));
  const suppress = (target: AlertRule): AlertRule => {
    const matchers = suppressingMatchers(target);
    if (matchers.length === 0) return target;
    const suppressedBy: NonNullable<AlertRule["suppressedBy"]> = [];
    for (const source of byService.get(target.labels.service) ?? [])
      if (source.rule !== target && matchesAny(source.rule.labels, matchers))
        suppressedBy.push((source.held ??= { source: source.rule, held: heldExpr(source.rule, source.intervalMs) }));
    if (suppressedBy.length === 0) return target;
    const sources = suppressedBy.map((s) => s.held);
    const hold = target.holdWhileMissing;
    // Object.assign, not a spread with new keys: V8 gives each such object a hidden class of its own.
    const suppressed: AlertRule = Object.assign({}, target, {
      expr: suppressedExpr(target.expr, sources),
      ownExpr: target.expr,
      suppressedBy,
    });
    if (hold)
      // Value form (1/0, nothing without data): suppressed reads 0, so it resolves instead of keeping its state.
      suppressed.holdWhileMissing = Object.assign({}, hold, {
        valueExpr: `${suppressedExpr(hold.valueExpr, sources)} or (${hold.valueExpr}) * 0`,
      });
    return suppressed;
  };
  return groups.map((g) => ({ ...g, rules: g.rules.map((r) => (r.kind === "alert" ? suppress(r) : r)) }));
}
