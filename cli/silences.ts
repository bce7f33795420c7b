/**
 * The silences of an Alertmanager v2 API: a plain Alertmanager (`<url>/api/v2/…`) or Grafana's
 * Alertmanager-compatible one (`<grafana>/api/alertmanager/grafana/api/v2/…`). Answers are
 * checked for the fields used, so a server that is not an Alertmanager is an error, not
 * `undefined` printed as a silence id.
 */
import { HttpError, requestJson, type Endpoint } from "./http";

export interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

export interface Silence {
  id: string;
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  status: { state: "active" | "pending" | "expired" };
}

const isString = (v: unknown): v is string => typeof v === "string";

function isSilence(v: unknown): v is Silence {
  const s = v as Partial<Silence> | null;
  return (
    typeof s === "object" &&
    s !== null &&
    isString(s.id) &&
    Array.isArray(s.matchers) &&
    s.matchers.every((m) => isString(m?.name) && isString(m?.value)) &&
    isString(s.endsAt) &&
    isString(s.createdBy) &&
    isString(s.comment) &&
    isString(s.status?.state)
  );
}

/** Creates a silence; resolves to its id. */
export async function createSilence(endpoint: Endpoint, silence: Omit<Silence, "id" | "status">): Promise<string> {
  const answer = await requestJson(endpoint, "/api/v2/silences", { method: "POST", body: silence });
  const id = (answer as { silenceID?: unknown } | undefined)?.silenceID;
  if (!isString(id) || id === "")
    throw new HttpError(`${endpoint.name} accepted the silence but returned no silence id: is it an Alertmanager?`);
  return id;
}

/** Silences that are active now or start later, soonest end first. */
export async function currentSilences(endpoint: Endpoint): Promise<Silence[]> {
  const answer = await requestJson(endpoint, "/api/v2/silences");
  if (!Array.isArray(answer) || !answer.every(isSilence))
    throw new HttpError(`${endpoint.name} answered /api/v2/silences with something that is not a list of silences`);
  return answer
    .filter((s) => s.status.state !== "expired")
    .sort((a, b) => a.endsAt.localeCompare(b.endsAt) || a.id.localeCompare(b.id));
}

/** Expires silence `id` (Alertmanager keeps it, expired, for its retention time). */
export async function expireSilence(endpoint: Endpoint, id: string): Promise<void> {
  await requestJson(endpoint, `/api/v2/silence/${encodeURIComponent(id)}`, { method: "DELETE" });
}

/** How many alerts matching `matchers` notify now (neither silenced nor inhibited). */
export async function notifyingCount(endpoint: Endpoint, matchers: Matcher[]): Promise<number> {
  const filter = matchers
    .map(
      (m) =>
        `filter=${encodeURIComponent(`${m.name}${m.isEqual ? "" : "!"}${m.isRegex ? "=~" : "="}"${m.value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`)}`,
    )
    .join("&");
  const answer = await requestJson(endpoint, `/api/v2/alerts?active=true&silenced=false&inhibited=false&${filter}`);
  if (!Array.isArray(answer))
    throw new HttpError(`${endpoint.name} answered /api/v2/alerts with something that is not a list of alerts`);
  return answer.length;
}
