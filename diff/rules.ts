/**
 * Alert and recording rules compared by identity (`web/error_rate/P1`), never by position:
 * one line per alert, consequences of a threshold change (expression, annotations, threshold
 * series, the suppression clause it writes into the alerts it suppresses) folded into that line.
 */
import { formatDuration } from "../catalog/units";
import type { AlertRule, RecordingRule, Rule, RuleGroup } from "../alerts/model";
import { LABEL } from "../conventions";
import { canonical, change, keyed } from "./text";

const SEVERITY_SUFFIX = /\/P[0-3]$/;

/** `alert web/error_rate P1`: the identity without its severity, then the severity label. */
function alertName(rule: AlertRule): string {
  return `alert ${rule.id.replace(SEVERITY_SUFFIX, "")} ${rule.labels.severity}`;
}

/** Prefix of the records that come with an alert (`web/error_rate/` for `web/error_rate/P1`); none for two-part ids. */
function companionPrefix(id: string): string | undefined {
  return id.split("/").length >= 3 ? id.slice(0, id.lastIndexOf("/") + 1) : undefined;
}

function alertChanges(a: AlertRule, b: AlertRule): string[] {
  const thresholdChanged = a.threshold !== b.threshold;
  const out = [
    ...change("threshold", a.threshold, b.threshold),
    ...change("for", formatDuration(a.forMs), formatDuration(b.forMs)),
    ...change("keep_firing_for", formatDuration(a.keepFiringForMs ?? 0), formatDuration(b.keepFiringForMs ?? 0)),
    ...change("alert", a.alert, b.alert),
    ...change("no-data", a.noData, b.noData),
  ];
  for (const label of [...new Set([...Object.keys(a.labels), ...Object.keys(b.labels)])].sort()) {
    out.push(...change(`label ${label}`, a.labels[label], b.labels[label]));
  }
  if (!thresholdChanged) {
    if ((a.ownExpr ?? a.expr) !== (b.ownExpr ?? b.expr)) out.push("expr changed");
    const annotations = [...new Set([...Object.keys(a.annotations), ...Object.keys(b.annotations)])]
      .sort()
      .filter((k) => a.annotations[k] !== b.annotations[k]);
    if (annotations.length) out.push(`${annotations.join(", ")} changed`);
  }
  return out;
}

function recordChanged(a: RecordingRule, b: RecordingRule): boolean {
  return a.expr !== b.expr || a.record !== b.record || canonical(a.labels) !== canonical(b.labels);
}

/** From this many alerts on, one identical modification (a catalog-wide edit) is printed as one line; additions and removals are always listed. */
const WIDE_CHANGE = 5;
const WIDE_CHANGE_EXAMPLES = 3;

/** `alert x: change` lines, except that a change shared by many alerts becomes one `N alerts: change (x, y, z, …)` line. */
function groupWideChanges(changed: Array<{ name: string; change: string }>): string[] {
  const byChange = new Map<string, string[]>();
  for (const c of changed) byChange.set(c.change, [...(byChange.get(c.change) ?? []), c.name]);
  const printed = new Set<string>();
  const out: string[] = [];
  for (const c of changed) {
    const names = byChange.get(c.change)!;
    if (names.length < WIDE_CHANGE || c.change === "added" || c.change === "removed")
      out.push(`${c.name}: ${c.change}`);
    else if (!printed.has(c.change)) {
      printed.add(c.change);
      const examples = names.slice(0, WIDE_CHANGE_EXAMPLES).map((n) => n.replace(/^alert /, ""));
      out.push(`${names.length} alerts: ${c.change} (${examples.join(", ")}, …)`);
    }
  }
  return out;
}

export function diffRules(before: readonly RuleGroup[], after: readonly RuleGroup[]): string[] {
  const rules = (groups: readonly RuleGroup[]) =>
    groups.flatMap((g) => g.rules.map((rule) => ({ rule, service: g.service })));
  const lines: string[] = [];
  const explained = new Set<string>();

  for (const [, g1, g2] of keyed(before, after, (g) => g.name)) {
    if (g1 && g2 && g1.intervalMs !== g2.intervalMs)
      lines.push(
        `rule group ${g2.name}: interval ${formatDuration(g1.intervalMs)} -> ${formatDuration(g2.intervalMs)}`,
      );
  }

  // Escalated copies follow from their alert and `alerting.escalation`; the routing diff shows that.
  const original = (rule: Rule): rule is AlertRule => rule.kind === "alert" && !(LABEL.escalation in rule.labels);
  const alerts = keyed(
    rules(before).flatMap((r) => (original(r.rule) ? [r.rule] : [])),
    rules(after).flatMap((r) => (original(r.rule) ? [r.rule] : [])),
    (r) => r.id,
  );
  const changed: Array<{ name: string; change: string }> = [];
  for (const [id, a, b] of alerts) {
    let change: string | undefined;
    if (!a) change = "added";
    else if (!b) change = "removed";
    else {
      const changes = alertChanges(a, b);
      if (changes.length) change = changes.join("; ");
    }
    if (change) {
      changed.push({ name: alertName((b ?? a)!), change });
      const prefix = companionPrefix(id);
      if (prefix) explained.add(prefix);
    }
  }
  for (const line of groupWideChanges(changed)) lines.push(line);

  const records = keyed(
    rules(before).flatMap((r) => (r.rule.kind === "record" ? [{ ...r, rule: r.rule }] : [])),
    rules(after).flatMap((r) => (r.rule.kind === "record" ? [{ ...r, rule: r.rule }] : [])),
    (r) => r.rule.id,
  );
  const counts = new Map<string, { added: number; removed: number; changed: number }>();
  for (const [id, a, b] of records) {
    if ([...explained].some((p) => id.startsWith(p))) continue;
    const service = (b ?? a)!.service;
    const c = counts.get(service) ?? { added: 0, removed: 0, changed: 0 };
    if (!a) c.added++;
    else if (!b) c.removed++;
    else if (recordChanged(a.rule, b.rule)) c.changed++;
    else continue;
    counts.set(service, c);
  }
  for (const service of [...counts.keys()].sort()) {
    const c = counts.get(service)!;
    const parts = [c.added && `+${c.added}`, c.removed && `-${c.removed}`, c.changed && `${c.changed} changed`].filter(
      Boolean,
    );
    lines.push(`recording rules ${service}: ${parts.join(", ")}`);
  }
  return lines;
}
