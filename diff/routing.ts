/**
 * Notification routing: contacts per severity, contact settings (secret references by name,
 * never values; URLs only as "changed"), timings and mute windows.
 */
import type { Alerting, Contact } from "../catalog/model";
import { formatDuration, SEVERITIES } from "../catalog/units";
import { canonical, change, keyed, list, setChange } from "./text";

/** Fields of a contact as the diff shows them: secret refs by name, URLs hidden. */
function describeContact(c: Contact): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, value] of Object.entries(c)) {
    if (field === "name" || value === undefined) continue;
    if (value && typeof value === "object" && !Array.isArray(value) && "secret" in value) out[field] = `secret ref ${String(value.secret)}`;
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
    if (secretA && secretB) out.push(`${field}: ${va} -> ${vb!.slice("secret ref ".length)}`);
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
    else if (canonical(a) !== canonical(b)) lines.push(`mute timing ${name}: changed`);
  }
  return lines;
}
