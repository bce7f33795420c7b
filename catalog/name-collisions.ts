/**
 * Catalog names that would become one generated name: a mute timing or contact point named like
 * one Grafana or the generator already has, two secret names read from one environment variable
 * or one secrets file. Runs on the raw catalog next to the schema check.
 */
import { formatPath, type Diagnostic } from "./diagnostics";
import {
  ALWAYS_MUTED,
  contactPointName,
  GRAFANA_DEFAULT_CONTACT_POINT,
  secretEnvName,
  secretFileName,
} from "../conventions";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export function nameCollisions(raw: unknown): Diagnostic[] {
  if (!isObj(raw)) return [];
  const out: Diagnostic[] = [];
  const at = (path: PropertyKey[], message: string) => out.push({ path: formatPath(path, raw), message });
  const alerting = isObj(raw.alerting) ? raw.alerting : {};
  if (Array.isArray(alerting.mute_timings))
    alerting.mute_timings.forEach((m, i) => {
      if (isObj(m) && m.name === ALWAYS_MUTED)
        at(
          ["alerting", "mute_timings", i, "name"],
          `"${ALWAYS_MUTED}" is the generated mute timing of severities routed to no contact; pick another name`,
        );
    });
  if (isObj(alerting.contacts) && typeof raw.system === "string")
    for (const name of Object.keys(alerting.contacts))
      if (contactPointName(raw.system, name) === GRAFANA_DEFAULT_CONTACT_POINT)
        at(
          ["alerting", "contacts", name],
          `its Grafana contact point "${GRAFANA_DEFAULT_CONTACT_POINT}" is Grafana's built-in one; rename the contact`,
        );
  secretCollisions(raw, at);
  return out;
}

/** Every `{ secret: NAME }` reference of the raw catalog with its path, in document order; `path` is where `node` is (restored on return). */
function secretRefs(node: unknown, path: PropertyKey[], out: Array<{ name: string; path: PropertyKey[] }>): void {
  if (Array.isArray(node))
    for (let i = 0; i < node.length; i++) {
      const child: unknown = node[i];
      if (typeof child !== "object" || child === null) continue;
      path.push(i);
      secretRefs(child, path, out);
      path.pop();
    }
  else if (isObj(node)) {
    if (typeof node.secret === "string" && Object.keys(node).length === 1) {
      out.push({ name: node.secret, path: [...path, "secret"] });
      return;
    }
    for (const k in node) {
      const child = node[k];
      if (typeof child !== "object" || child === null || !Object.hasOwn(node, k)) continue;
      path.push(k);
      secretRefs(child, path, out);
      path.pop();
    }
  }
}

function secretCollisions(raw: Obj, at: (path: PropertyKey[], message: string) => void): void {
  const refs: Array<{ name: string; path: PropertyKey[] }> = [];
  secretRefs(raw, [], refs);
  const byEnv = new Map<string, { name: string; path: PropertyKey[] }>();
  const byFile = new Map<string, { name: string; path: PropertyKey[] }>();
  for (const ref of refs) {
    const env = secretEnvName(ref.name);
    const file = secretFileName(ref.name).toLowerCase();
    const sameEnv = byEnv.get(env);
    const sameFile = byFile.get(file);
    if (sameEnv && sameEnv.name !== ref.name)
      at(
        ref.path,
        `"${ref.name}" and "${sameEnv.name}" (${formatPath(sameEnv.path, raw)}) both read the environment variable ${env}; use one name`,
      );
    else if (sameFile && sameFile.name !== ref.name)
      at(
        ref.path,
        `"${ref.name}" and "${sameFile.name}" (${formatPath(sameFile.path, raw)}) are one secrets file on a case-insensitive file system; use one name`,
      );
    if (!sameEnv) byEnv.set(env, ref);
    if (!sameFile) byFile.set(file, ref);
  }
}
