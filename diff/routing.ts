/**
 * Notification routing: contacts per severity, contact settings (secret references by name,
 * never values; URLs only as "changed"), timings, mute windows, escalation and policies.
 */
import type { Alerting, Contact, Escalation, Policy } from "../catalog/model";
import { policyMatchers } from "../alerts/alertmanager";
import { formatDuration, SEVERITIES } from "../catalog/units";
import { canonical, change, keyed, list, setChange } from "./text";

/** Fields of a contact as the diff shows them: secret refs by name, URLs hidden. */
function describeContact(c: Contact): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, value] of Object.entries(c)) {
    if (field === "name" || value === undefined) continue;
    if (value && typeof value === "object" && !Array.isArray(value) && "secret" in value)
      out[field] = `secret ref ${String(value.secret)}`;
    else if (field === "url") out[field] = `url#${canonical(value)}`;
    else out[field] = Array.isArray(value) ? list(value.map(String)) : String(value);
  }
  return out;
}

function contactChanges(a: Contact, b: Contact): string[] {
  const da = describeContact(a);
  const db = describeContact(b);
  const out: string[] = [];
  for (const field of [...new Set([...Object.keys(da), ...Object.keys(db)])].sort()) {
    const [va, vb] = [da[field], db[field]];
    if (va === vb) continue;
    const secretA = va?.startsWith("secret ref ");
    const secretB = vb?.startsWith("secret ref ");
    if (secretA && secretB) out.push(`${field}: ${va} -> ${vb.slice("secret ref ".length)}`);
    else if (va?.startsWith("url#") || vb?.startsWith("url#") || secretA || secretB) out.push(`${field} changed`);
    else out.push(...change(field, va, vb));
  }
  return out;
}

export function diffRouting(before: Alerting | undefined, after: Alerting | undefined): string[] {
  const lines: string[] = [];
  for (const severity of SEVERITIES) {
    const delta = setChange(before?.routes[severity] ?? [], after?.routes[severity] ?? []);
    if (delta) lines.push(`route ${severity}: ${delta}`);
  }
  for (const [name, a, b] of keyed(before?.contacts ?? [], after?.contacts ?? [], (c) => c.name)) {
    if (!a) lines.push(`contact ${name}: added (${b!.type})`);
    else if (!b) lines.push(`contact ${name}: removed`);
    else {
      const changes = contactChanges(a, b);
      if (changes.length) lines.push(`contact ${name}: ${changes.join("; ")}`);
    }
  }
  if (before && after) {
    const settings = [
      ...change("ack_timeout", formatDuration(before.ackTimeoutMs), formatDuration(after.ackTimeoutMs)),
      ...change("group_by", list(before.groupBy), list(after.groupBy)),
      ...change("watchdog", before.watchdog, after.watchdog),
    ];
    if (settings.length) lines.push(`alerting: ${settings.join("; ")}`);
  }
  for (const [name, a, b] of keyed(before?.muteTimings ?? [], after?.muteTimings ?? [], (m) => m.name)) {
    if (!a) lines.push(`mute timing ${name}: added`);
    else if (!b) lines.push(`mute timing ${name}: removed`);
    else if (canonical(a) !== canonical(b)) {
      const zone = change("location", a.location ?? "UTC", b.location ?? "UTC");
      const rest = canonical({ ...a, location: undefined }) !== canonical({ ...b, location: undefined });
      lines.push(`mute timing ${name}: ${[...(rest ? ["changed"] : []), ...zone].join("; ")}`);
    }
  }
  return [
    ...lines,
    ...diffEscalations(before?.escalations ?? [], after?.escalations ?? []),
    ...diffPolicies(before?.policies ?? [], after?.policies ?? []),
  ];
}

function diffEscalations(before: Escalation[], after: Escalation[]): string[] {
  const lines: string[] = [];
  for (const [severity, a, b] of keyed(before, after, (e) => e.severity)) {
    if (!a) lines.push(`escalation ${severity}: added (after ${formatDuration(b!.afterMs)} -> ${list(b!.to)})`);
    else if (!b) lines.push(`escalation ${severity}: removed`);
    else {
      const to = setChange(a.to, b.to);
      const changes = [
        ...change("after", formatDuration(a.afterMs), formatDuration(b.afterMs)),
        ...(to ? [`to ${to}`] : []),
      ];
      if (changes.length) lines.push(`escalation ${severity}: ${changes.join("; ")}`);
    }
  }
  return lines;
}

/** Policies are keyed by what they match; their order matters (first match wins), so a reorder is a change too. */
function diffPolicies(before: Policy[], after: Policy[]): string[] {
  const key = (p: Policy) =>
    policyMatchers(p.match)
      .map(([k, v]) => `${k}=${v}`)
      .join(",");
  const lines: string[] = [];
  for (const [match, a, b] of keyed(before, after, key)) {
    if (!a) lines.push(`policy ${match}: added (-> ${list(b!.to)})`);
    else if (!b) lines.push(`policy ${match}: removed`);
    else {
      const to = setChange(a.to, b.to);
      if (to) lines.push(`policy ${match}: to ${to}`);
    }
  }
  const kept = (from: Policy[], other: Policy[]) => from.map(key).filter((k) => other.some((p) => key(p) === k));
  const order = change("policies order", kept(before, after).join(" > "), kept(after, before).join(" > "));
  return [...lines, ...(order.length ? [`${order[0]}`] : [])];
}
