/**
 * `services[].health` on the raw catalog: one check or a list of them. The cross-checks see
 * each check with its path (`health` or `health[i]`), and the list's names and URLs are unique.
 */
import { healthCheckName, NAME_MAX } from "../conventions";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Each check of a raw `health:` value with its path under `service`. */
export function rawHealthChecks(health: unknown, service: PropertyKey[]): Array<{ h: Obj; path: PropertyKey[] }> {
  if (isObj(health)) return [{ h: health, path: [...service, "health"] }];
  if (!Array.isArray(health)) return [];
  return health.flatMap((h, i) => (isObj(h) ? [{ h, path: [...service, "health", i] }] : []));
}

/** Two checks of one service with the same name (explicit or from the URL path) or the same URL. */
export function healthListProblems(
  health: unknown,
  service: PropertyKey[],
): Array<{ path: PropertyKey[]; message: string }> {
  const out: Array<{ path: PropertyKey[]; message: string }> = [];
  if (!Array.isArray(health) || health.length < 2) return out;
  const names = new Map<string, number>();
  const urls = new Map<string, number>();
  for (const { h, path } of rawHealthChecks(health, service)) {
    const i = Number(path[path.length - 1]);
    if (typeof h.url !== "string") continue;
    const explicit = typeof h.name === "string";
    const name = explicit ? (h.name as string) : healthCheckName(h.url);
    if (!explicit && name.length > NAME_MAX)
      out.push({
        path: [...path, "url"],
        message: `check name "${name}" (from the URL path) is ${name.length} characters; names are at most ${NAME_MAX}: set a shorter name`,
      });
    else if (urls.has(h.url))
      out.push({ path: [...path, "url"], message: `${h.url} is already probed by health[${urls.get(h.url)}]` });
    else if (names.has(name))
      out.push({
        path: [...path, explicit ? "name" : "url"],
        message: `check name "${name}" is already used by health[${names.get(name)}]${explicit ? "" : " (names default to the URL path)"}; set a distinct name`,
      });
    urls.set(h.url, i);
    names.set(name, i);
  }
  return out;
}
