/**
 * The Prometheus HTTP API as a backtest reads it: range queries cut into chunks under
 * Prometheus' 11,000 points per series, the series API, a bounded number of requests in
 * flight, each within a timeout and a response size cap, every answer checked against the
 * API's shapes, everything in flight cancelled on the first failure, credentials from the
 * environment only, and errors that name the URL and status but never a credential.
 */
import { displayUrl, readCapped, serverText } from "../cli/http";

/** Prometheus refuses range queries of more than 11,000 points per series; stay well under. */
export const MAX_POINTS_PER_QUERY = 10_000;
/** Longest one request may take unless `--timeout` / `PROMETHEUS_TIMEOUT` says otherwise. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Largest answer read from Prometheus, in bytes (after decompression). */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export class PrometheusError extends Error {}

/** One series of a range query: its labels and the evaluation times (ms) at which it has a value. */
export interface RangeSeries {
  labels: Record<string, string>;
  times: number[];
}

interface ApiResponse {
  status?: unknown;
  data?: unknown;
  error?: unknown;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

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

/** The body of `res`, refused once it exceeds `max` bytes (the rest is never read). */
async function cappedText(res: Response, max: number, where: string): Promise<string> {
  const text = await readCapped(res, max);
  if (text === undefined)
    throw new PrometheusError(
      `Prometheus at ${where} answered more than ${max / 1024 / 1024} MiB; query a shorter range`,
    );
  return text;
}

/** An instant query's `data` as samples, or why it is not a vector as the API documents it. */
function vectorSamples(data: unknown): Array<{ labels: Record<string, string>; value: number }> | string {
  if (!isObj(data)) return `data is ${data === null ? "null" : typeof data}, not an object`;
  if (data.resultType !== "vector")
    return `resultType is ${JSON.stringify(serverText(String(data.resultType), 20))}, not "vector"`;
  if (!Array.isArray(data.result)) return "result is not a list";
  const out: Array<{ labels: Record<string, string>; value: number }> = [];
  for (const r of data.result as unknown[]) {
    if (!isObj(r) || !isObj(r.metric) || !Array.isArray(r.value) || typeof r.value[1] !== "string")
      return "a sample lacks metric or value";
    out.push({ labels: r.metric as Record<string, string>, value: Number(r.value[1]) });
  }
  return out;
}

/** A range query's `data` as series, or why it is not a matrix as the API documents it. */
function matrixSeries(data: unknown): RangeSeries[] | string {
  if (!isObj(data)) return `data is ${data === null ? "null" : typeof data}, not an object`;
  if (data.resultType !== "matrix")
    return `resultType is ${JSON.stringify(serverText(String(data.resultType), 20))}, not "matrix"`;
  if (!Array.isArray(data.result)) return "result is not a list";
  const seen = new Set<string>();
  const out: RangeSeries[] = [];
  for (const r of data.result as unknown[]) {
    if (!isObj(r) || !isObj(r.metric) || !Array.isArray(r.values)) return "a series lacks metric or values";
    if (!Object.values(r.metric).every((v) => typeof v === "string"))
      return "a series has a label value that is not a string";
    const key = JSON.stringify(Object.entries(r.metric).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    if (seen.has(key)) return `the series ${serverText(key, 100)} appears twice`;
    seen.add(key);
    const times: number[] = [];
    for (const v of r.values as unknown[]) {
      if (
        !Array.isArray(v) ||
        v.length !== 2 ||
        typeof v[0] !== "number" ||
        !Number.isFinite(v[0]) ||
        typeof v[1] !== "string"
      )
        return `a sample is not [<unix seconds>, "<value>"]: ${serverText(JSON.stringify(v) ?? String(v), 60)}`;
      const t = Math.round(v[0] * 1000);
      if (times.length && t <= times[times.length - 1]) return "a series' timestamps are not increasing";
      times.push(t);
    }
    out.push({ labels: r.metric as Record<string, string>, times });
  }
  return out;
}

export class PrometheusClient {
  /** HTTP requests made so far. */
  requests = 0;
  private readonly base: string;
  private readonly limiter: Limiter;
  private readonly authorization?: string;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  /** Aborted with the first failure: requests in flight stop, queued ones never start. */
  private readonly failed = new AbortController();

  constructor(
    url: string,
    options: { authorization?: string; concurrency?: number; timeoutMs?: number; maxResponseBytes?: number } = {},
  ) {
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
    this.timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  }

  get url(): string {
    return displayUrl(this.base);
  }

  /** `data` of a successful answer to `path`, checked by `shape` (a problem string refuses it). */
  private async post<T>(
    path: string,
    params: Record<string, string | string[]>,
    shape: (data: unknown) => T | string,
  ): Promise<T> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return this.limiter.run(async () => {
      if (this.failed.signal.aborted) throw this.failed.signal.reason as PrometheusError;
      this.requests++;
      const where = `${this.url}${path}`;
      const timeout = AbortSignal.timeout(this.timeoutMs);
      try {
        return await this.request(where, path, body, timeout, shape);
      } catch (e) {
        if (this.failed.signal.aborted) throw this.failed.signal.reason as PrometheusError;
        const error =
          e instanceof PrometheusError
            ? e
            : timeout.aborted
              ? new PrometheusError(
                  `Prometheus at ${where} did not answer within ${this.timeoutMs / 1000}s (raise it with --timeout or PROMETHEUS_TIMEOUT)`,
                )
              : new PrometheusError(`cannot reach Prometheus at ${where}: ${reason(e)}`);
        this.failed.abort(error);
        throw error;
      }
    });
  }

  private async request<T>(
    where: string,
    path: string,
    body: URLSearchParams,
    timeout: AbortSignal,
    shape: (data: unknown) => T | string,
  ): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...(this.authorization ? { authorization: this.authorization } : {}),
      },
      body,
      redirect: "manual",
      signal: AbortSignal.any([this.failed.signal, timeout]),
    });
    const text = await cappedText(res, this.maxResponseBytes, where);
    let parsed: ApiResponse | undefined;
    try {
      const value: unknown = JSON.parse(text);
      parsed = isObj(value) ? value : undefined;
    } catch {
      parsed = undefined;
    }
    if (res.status >= 300 && res.status < 400)
      throw new PrometheusError(`Prometheus at ${where} answered HTTP ${res.status}, a redirect; use the final URL`);
    if (!res.ok || parsed?.status !== "success") {
      const why = serverText(typeof parsed?.error === "string" ? parsed.error : text);
      throw new PrometheusError(
        `Prometheus at ${where} answered HTTP ${res.status} ${serverText(res.statusText, 40)}${why ? `: ${why}` : ""}`,
      );
    }
    const data = shape(parsed.data);
    if (typeof data === "string")
      throw new PrometheusError(`Prometheus at ${where} answered something the Prometheus API never returns: ${data}`);
    return data;
  }

  /** `expr` at every `stepMs` of [startMs, endMs], in chunks of at most MAX_POINTS_PER_QUERY evaluations. */
  async queryRange(expr: string, startMs: number, endMs: number, stepMs: number): Promise<RangeSeries[]> {
    const chunks: Array<[number, number]> = [];
    for (let s = startMs; s <= endMs; s += MAX_POINTS_PER_QUERY * stepMs)
      chunks.push([s, Math.min(endMs, s + (MAX_POINTS_PER_QUERY - 1) * stepMs)]);
    const parts = await Promise.all(
      chunks.map(([s, e]) =>
        this.post(
          "/api/v1/query_range",
          { query: expr, start: String(s / 1000), end: String(e / 1000), step: String(stepMs / 1000) },
          matrixSeries,
        ),
      ),
    );
    const bySeries = new Map<string, RangeSeries>();
    for (const part of parts) {
      for (const r of part) {
        const key = JSON.stringify(Object.entries(r.labels).sort(([a], [b]) => a.localeCompare(b)));
        const series = bySeries.get(key) ?? { labels: r.labels, times: [] };
        for (const t of r.times) series.times.push(t);
        bySeries.set(key, series);
      }
    }
    return [...bySeries.values()];
  }

  /** `expr` at one instant: each series' labels and value. */
  async query(expr: string, atMs: number): Promise<Array<{ labels: Record<string, string>; value: number }>> {
    return this.post("/api/v1/query", { query: expr, time: String(atMs / 1000) }, vectorSamples);
  }

  /** Whether `selector` matches at least one series with samples in [startMs, endMs]. */
  async hasSeries(selector: string, startMs: number, endMs: number): Promise<boolean> {
    const found = await this.post(
      "/api/v1/series",
      { "match[]": selector, start: String(startMs / 1000), end: String(endMs / 1000), limit: "1" },
      (data) => (Array.isArray(data) ? data : `data is ${data === null ? "null" : typeof data}, not a list of series`),
    );
    return found.length > 0;
  }
}

/** Why a request failed to reach the server, without anything the server chose to say. */
function reason(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return serverText(cause?.code ?? cause?.message ?? (e as Error).message ?? String(e), 100);
}
