/**
 * The Prometheus HTTP API as a backtest reads it: range queries cut into chunks under
 * Prometheus' 11,000 points per series, the series API, a bounded number of requests in
 * flight, credentials from the environment only, and errors that name the URL and status
 * but never a credential.
 */

/** Prometheus refuses range queries of more than 11,000 points per series; stay well under. */
export const MAX_POINTS_PER_QUERY = 10_000;
const REQUEST_TIMEOUT_MS = 5 * 60_000;

export class PrometheusError extends Error {}

/** A credential-free spelling of `url` for messages. */
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

/**
 * The `Authorization` header from `PROMETHEUS_USER` + `PROMETHEUS_PASSWORD` (basic, as
 * Grafana Cloud Prometheus uses) or `PROMETHEUS_TOKEN` (bearer); undefined without either.
 * Throws a message naming the variables (never their values) when they are set inconsistently.
 * Empty variables count as unset (GitHub Actions passes a missing secret as "").
 */
export function authorizationFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const [user, password, token] = [env.PROMETHEUS_USER, env.PROMETHEUS_PASSWORD, env.PROMETHEUS_TOKEN].map(
    (v) => v || undefined,
  );
  if (token && (user || password))
    throw new Error("set either PROMETHEUS_TOKEN or PROMETHEUS_USER + PROMETHEUS_PASSWORD, not both");
  if (token) return `Bearer ${token}`;
  if (user === undefined && password === undefined) return undefined;
  if (!user || password === undefined)
    throw new Error("PROMETHEUS_USER and PROMETHEUS_PASSWORD go together (basic auth); one of them is not set");
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

/** One series of a range query: its labels and the evaluation times (ms) at which it has a value. */
export interface RangeSeries {
  labels: Record<string, string>;
  times: number[];
}

interface ApiResponse<T> {
  status: "success" | "error";
  data?: T;
  error?: string;
}

/** Runs at most `limit` tasks at a time. */
class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export class PrometheusClient {
  /** HTTP requests made so far. */
  requests = 0;
  private readonly base: string;
  private readonly limiter: Limiter;
  private readonly authorization?: string;

  constructor(url: string, options: { authorization?: string; concurrency?: number } = {}) {
    const u = new URL(url);
    const embedded =
      u.username || u.password
        ? `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString("base64")}`
        : undefined;
    u.username = "";
    u.password = "";
    this.authorization = options.authorization ?? embedded;
    this.base = u.toString().replace(/\/$/, "");
    this.limiter = new Limiter(options.concurrency ?? 4);
  }

  get url(): string {
    return displayUrl(this.base);
  }

  private async post<T>(path: string, params: Record<string, string | string[]>): Promise<T> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return this.limiter.run(async () => {
      this.requests++;
      let res: Response;
      try {
        res = await fetch(`${this.base}${path}`, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            ...(this.authorization ? { authorization: this.authorization } : {}),
          },
          body,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      } catch (e) {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        throw new PrometheusError(
          `cannot reach Prometheus at ${this.url}${path}: ${cause?.code ?? cause?.message ?? (e as Error).message}`,
        );
      }
      const text = await res.text();
      let parsed: ApiResponse<T> | undefined;
      try {
        parsed = JSON.parse(text) as ApiResponse<T>;
      } catch {
        parsed = undefined;
      }
      if (!res.ok || parsed?.status !== "success") {
        const why = parsed?.error ?? text.trim().split("\n")[0].slice(0, 200);
        throw new PrometheusError(
          `Prometheus at ${this.url}${path} answered HTTP ${res.status} ${res.statusText}${why ? `: ${why}` : ""}`,
        );
      }
      return parsed.data as T;
    });
  }

  /** `expr` at every `stepMs` of [startMs, endMs], in chunks of at most MAX_POINTS_PER_QUERY evaluations. */
  async queryRange(expr: string, startMs: number, endMs: number, stepMs: number): Promise<RangeSeries[]> {
    const chunks: Array<[number, number]> = [];
    for (let s = startMs; s <= endMs; s += MAX_POINTS_PER_QUERY * stepMs)
      chunks.push([s, Math.min(endMs, s + (MAX_POINTS_PER_QUERY - 1) * stepMs)]);
    const parts = await Promise.all(
      chunks.map(([s, e]) =>
        this.post<{
          resultType: string;
          result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;
        }>("/api/v1/query_range", {
          query: expr,
          start: String(s / 1000),
          end: String(e / 1000),
          step: String(stepMs / 1000),
        }),
      ),
    );
    const bySeries = new Map<string, RangeSeries>();
    for (const part of parts) {
      for (const r of part.result) {
        const key = JSON.stringify(Object.entries(r.metric).sort(([a], [b]) => a.localeCompare(b)));
        const series = bySeries.get(key) ?? { labels: r.metric, times: [] };
        for (const [t] of r.values) series.times.push(Math.round(t * 1000));
        bySeries.set(key, series);
      }
    }
    return [...bySeries.values()];
  }

  /** Whether `selector` matches at least one series with samples in [startMs, endMs]. */
  async hasSeries(selector: string, startMs: number, endMs: number): Promise<boolean> {
    const found = await this.post<unknown[]>("/api/v1/series", {
      "match[]": selector,
      start: String(startMs / 1000),
      end: String(endMs / 1000),
      limit: "1",
    });
    return found.length > 0;
  }
}
