/**
 * HTTP as the command line talks to servers it does not control: credentials only from the
 * environment (never a flag, never printed), URLs printed without credentials, one bounded
 * wait per request, redirects refused rather than followed (a 301 turns a POST into a GET), and
 * server text shortened and stripped of control characters before it reaches a terminal.
 */

/** Longest server text (error bodies) a message quotes. */
export const MAX_SERVER_TEXT = 200;
/** Largest answer `requestJson` reads: silences and alert lists are far smaller. */
export const MAX_ANSWER_BYTES = 16 * 2 ** 20;

export class HttpError extends Error {}

/**
 * `text` from a server made safe to print: control characters and terminal escape sequences
 * removed, whitespace runs collapsed, cut to `max` characters with the full length named.
 */
export function serverText(text: string, max = MAX_SERVER_TEXT): string {
  const clean = text
    // eslint-disable-next-line no-control-regex
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b./g, "")
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x1f\x7f-\x9f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return clean.length > max ? `${clean.slice(0, max)}… (${clean.length} characters)` : clean;
}

/** `url` without user info, query or trailing slash, for messages; never throws. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    u.search = "";
    return u.toString().replace(/\/$/, "");
  } catch {
    return "(unparsable URL)";
  }
}

/** Whether `value` can travel in an HTTP header: no control characters (a pasted `\r\n`). */
// eslint-disable-next-line no-control-regex
const HEADER_SAFE = /^[^\x00-\x1f\x7f]*$/;

/**
 * The `Authorization` header from `<PREFIX>_TOKEN` (bearer) or `<PREFIX>_USER` +
 * `<PREFIX>_PASSWORD` (basic); undefined without either. Empty variables count as unset.
 * Problems name the variables, never their values.
 */
export function authorizationFromEnv(env: NodeJS.ProcessEnv, prefix: string): string | undefined {
  const names = { user: `${prefix}_USER`, password: `${prefix}_PASSWORD`, token: `${prefix}_TOKEN` };
  const [user, password, token] = [env[names.user], env[names.password], env[names.token]].map((v) => v || undefined);
  for (const [name, value] of Object.entries({ [names.user]: user, [names.password]: password, [names.token]: token }))
    if (value !== undefined && !HEADER_SAFE.test(value))
      throw new HttpError(`${name} contains a line break or another control character (a pasted value?); set it again`);
  if (token && (user || password))
    throw new HttpError(`set either ${names.token} or ${names.user} + ${names.password}, not both`);
  if (token) return `Bearer ${token}`;
  if (user === undefined && password === undefined) return undefined;
  if (!user || password === undefined)
    throw new HttpError(`${names.user} and ${names.password} go together (basic auth); one of them is not set`);
  return basic(user, password);
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/**
 * `url` split into a credential-free URL and the basic `Authorization` its user info carries
 * (`http://admin:secret@host`), which `fetch` refuses to send itself.
 */
export function splitUserInfo(url: string): { url: string; authorization?: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new HttpError(`${JSON.stringify(displayUrl(url))} is not a URL`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new HttpError(`${displayUrl(url)} is not http(s)`);
  if (!u.username && !u.password) return { url: url.replace(/\/+$/, "") };
  const authorization = basic(decodeURIComponent(u.username), decodeURIComponent(u.password));
  u.username = "";
  u.password = "";
  return { url: u.toString().replace(/\/+$/, ""), authorization };
}

/** The body of `response` as text, or undefined (reading stopped, or never started) once it exceeds `max` bytes. */
export async function readCapped(response: Response, max: number): Promise<string | undefined> {
  if (Number(response.headers.get("content-length") ?? 0) > max) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks).toString("utf8");
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
}

export interface Endpoint {
  /** Base URL without credentials or trailing slash. */
  url: string;
  authorization?: string;
  timeoutMs: number;
  /** What the messages call the server, e.g. "Alertmanager at http://…". */
  name: string;
}

/**
 * One request to `endpoint.url + path`, answered within `endpoint.timeoutMs`; resolves to the
 * parsed JSON body (undefined for an empty one). Unreachable, slow, redirecting or refusing
 * servers, and bodies that are not JSON, throw an `HttpError` naming the server and status,
 * quoting at most `MAX_SERVER_TEXT` characters of what it said.
 */
export async function requestJson(
  endpoint: Endpoint,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<unknown> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (endpoint.authorization) headers.authorization = endpoint.authorization;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${endpoint.url}${path}`, {
      method: init.method ?? "GET",
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      redirect: "manual",
      signal: AbortSignal.timeout(endpoint.timeoutMs),
    });
    const body = await readCapped(response, MAX_ANSWER_BYTES);
    if (body === undefined)
      throw new HttpError(`${endpoint.name} answered ${path} with more than ${MAX_ANSWER_BYTES / 2 ** 20} MiB`);
    text = body;
  } catch (e) {
    if (e instanceof HttpError) throw e;
    const err = e as { name?: string; cause?: { code?: string; message?: string } };
    if (err.name === "TimeoutError")
      throw new HttpError(`${endpoint.name} did not answer within ${endpoint.timeoutMs / 1000}s`);
    throw new HttpError(
      `cannot reach ${endpoint.name}: ${serverText(err.cause?.code ?? err.cause?.message ?? String(e))}`,
    );
  }
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get("location");
    const to =
      location === null
        ? ""
        : ` to ${displayUrl(URL.canParse(location, endpoint.url) ? new URL(location, endpoint.url).toString() : location)}`;
    throw new HttpError(
      `${endpoint.name} answered ${path} with HTTP ${response.status}, a redirect${to}; use the final URL`,
    );
  }
  if (!response.ok) {
    const said = serverText(text);
    throw new HttpError(`${endpoint.name} refused ${path}: HTTP ${response.status}${said ? ` ${said}` : ""}`);
  }
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(`${endpoint.name} answered ${path} with something that is not JSON: ${serverText(text)}`);
  }
}
