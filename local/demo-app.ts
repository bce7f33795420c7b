/**
 * The demo app local mode watches: a loopback HTTP server with a health endpoint, Prometheus
 * metrics following the instrumentation contract (`conventions.METRIC`) for five roles
 * (frontend, api, database, job, llm), synthetic traffic generated on a timer so rates
 * exist, and control endpoints that inject the failures the alerts are meant to catch.
 *
 *   GET  /api/health              200 {"status":"ok"} | 503 {"status":"degraded"} | connection dropped
 *   GET  /-/ready                 200 while the app runs (the supervisor's readiness check)
 *   GET  /metrics[/<role>]        Prometheus text format (all roles, or one)
 *   GET  /control                 current state as JSON
 *   POST /control/outage?mode=down|degraded|none
 *   POST /control/errors?share=0.5[&role=api]       share of requests failing (5xx / error.type)
 *   POST /control/latency?ms=3000[&role=api]        extra request duration
 *   POST /control/heartbeat?stale=1                 the job stops succeeding (last success 1h ago)
 *   POST /control/quota?used=480                    external API calls used this period
 *   POST /control/deploy[?role=frontend]            count a deployment
 *   POST /control/reset                             everything healthy again
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { API_LABEL, COST_SOURCE_LABEL, METRIC, OUTCOME, OUTCOME_LABEL, RESOURCE_LABEL } from "../conventions";

export const ROLES = ["frontend", "api", "database", "job", "llm"] as const;
export type Role = (typeof ROLES)[number];

/** The external API and cost sources the `api` role reports. */
export const DEMO_API = "hunter";
export const DEMO_COST_USD: Record<string, number> = { openai: 42.5, supabase: 25, vercel: 20 };
/** The demo's platform with a size quota, and the bytes its database uses. */
export const DEMO_PLATFORM = "supabase";
export const DEMO_DATABASE_BYTES = 120_000_000;

export interface DemoState {
  /** `down`: connections to the frontend (health and metrics) are dropped; `degraded`: health answers 503. */
  outage: "none" | "degraded" | "down";
  errorShare: Record<Role, number>;
  extraLatencyMs: Record<Role, number>;
  heartbeatStale: boolean;
  quotaUsed: number;
}

const perRole = (v: number) => Object.fromEntries(ROLES.map((r) => [r, v])) as Record<Role, number>;

export function healthyState(): DemoState {
  return { outage: "none", errorShare: perRole(0), extraLatencyMs: perRole(0), heartbeatStale: false, quotaUsed: 120 };
}

/** OTel's default `http.server.request.duration` buckets, in seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** Request durations cycled through by the synthetic traffic, in seconds. */
const BASE_DURATIONS = [0.012, 0.03, 0.045, 0.08, 0.2, 0.02, 0.06, 0.4];

type Labels = Record<string, string>;

const escapeValue = (v: string) => (/[\\"]/.test(v) ? v.replace(/\\/g, "\\\\").replace(/"/g, '\\"') : v);

function labelText(labels: Labels): string {
  let text = "";
  for (const k in labels) text += `${text ? "," : ""}${k}="${escapeValue(labels[k])}"`;
  return text ? `{${text}}` : "";
}

class Histogram {
  /** Per label set: its counts and the exposition prefix of each line (`name_bucket{…,le="0.005"} `), built once. */
  private readonly series = new Map<string, { prefixes: string[]; counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  observe(labels: Labels, seconds: number): void {
    const key = labelText(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { prefixes: this.prefixes(labels), counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) s.counts[i]++;
    s.sum += seconds;
    s.count++;
  }

  private prefixes(labels: Labels): string[] {
    return [
      ...BUCKETS.map((le) => `${this.name}_bucket${labelText({ ...labels, le: String(le) })} `),
      `${this.name}_bucket${labelText({ ...labels, le: "+Inf" })} `,
      `${this.name}_sum${labelText(labels)} `,
      `${this.name}_count${labelText(labels)} `,
    ];
  }

  text(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { prefixes, counts, sum, count } of this.series.values()) {
      counts.forEach((c, i) => lines.push(prefixes[i] + c));
      lines.push(
        prefixes[BUCKETS.length] + count,
        prefixes[BUCKETS.length + 1] + sum,
        prefixes[BUCKETS.length + 2] + count,
      );
    }
    return lines;
  }
}

function scalar(name: string, type: "gauge" | "counter", help: string, values: Array<[Labels, number]>): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...values.map(([l, v]) => `${name}${labelText(l)} ${v}`)];
}

/** Synthetic traffic and the metrics it produces; pure state, advanced by `tick`. */
export class DemoMetrics {
  readonly state = healthyState();
  private readonly hist: Record<Role, Histogram> = {
    frontend: new Histogram(METRIC.httpServerDuration, "Duration of HTTP server requests."),
    api: new Histogram(METRIC.httpServerDuration, "Duration of HTTP server requests."),
    database: new Histogram(METRIC.dbClientDuration, "Duration of database client operations."),
    job: new Histogram(METRIC.jobRunDuration, "Duration of job runs."),
    llm: new Histogram(METRIC.genAiClientDuration, "Duration of GenAI client operations."),
  };
  private readonly errorCredit = perRole(0);
  private step = 0;
  private apiCalls = { success: 0, failure: 0 };
  private blocks = { hit: 0, read: 0 };
  private lastJobSuccess: number;
  private readonly deployments = perRole(0);

  constructor(private readonly now: () => number = Date.now) {
    this.lastJobSuccess = now() / 1000;
  }

  /**
   * One traffic step: a few requests per role (of `roles` only: a role's series never depend on
   * another role's requests), the job succeeding every 10 steps.
   */
  tick(requestsPerRole = 4, roles: readonly Role[] = ROLES): void {
    this.step++;
    for (const role of roles) {
      if (role === "job") continue;
      for (let i = 0; i < requestsPerRole; i++) this.request(role, i);
    }
    this.blocks.hit += 95;
    this.blocks.read += 5;
    if (this.step % 10 === 0 && !this.state.heartbeatStale) {
      this.lastJobSuccess = this.now() / 1000;
      this.hist.job.observe({}, 1.5);
    }
  }

  private request(role: Role, i: number): void {
    this.errorCredit[role] += this.state.errorShare[role];
    const failed = this.errorCredit[role] >= 1;
    if (failed) this.errorCredit[role] -= 1;
    const seconds = BASE_DURATIONS[(this.step + i) % BASE_DURATIONS.length] + this.state.extraLatencyMs[role] / 1000;
    switch (role) {
      case "frontend":
      case "api":
        this.hist[role].observe(
          {
            http_request_method: "GET",
            http_route: role === "api" ? "/api/leads" : "/",
            [METRIC.httpStatusLabel]: failed ? "500" : "200",
          },
          seconds,
        );
        if (role === "api") {
          this.apiCalls[failed ? "failure" : "success"]++;
          if (i === 0 && this.step % 40 === 0) this.state.quotaUsed++;
        }
        break;
      case "database":
        this.hist.database.observe(
          { db_system_name: "postgresql", db_operation_name: "SELECT", ...(failed ? { error_type: "57014" } : {}) },
          seconds / 4,
        );
        break;
      case "llm":
        this.hist.llm.observe(
          {
            gen_ai_operation_name: "chat",
            gen_ai_system: "anthropic",
            ...(failed ? { error_type: "rate_limited" } : {}),
          },
          seconds * 10,
        );
        break;
    }
  }

  /** The job's last success: frozen an hour in the past while the heartbeat is stale. */
  private jobLastSuccess(): number {
    return this.state.heartbeatStale ? Math.min(this.lastJobSuccess, this.now() / 1000 - 3600) : this.lastJobSuccess;
  }

  deploy(role: Role): void {
    this.deployments[role]++;
  }

  /** Prometheus text exposition of one role's series. */
  text(role: Role): string {
    const lines = [...this.hist[role].text()];
    lines.push(
      ...scalar(METRIC.deployments, "counter", "Deployments of this service.", [[{}, this.deployments[role]]]),
    );
    if (role === "api") {
      lines.push(
        ...scalar(METRIC.quotaUsed, "gauge", "Calls made to an external API in this quota period.", [
          [{ [API_LABEL]: DEMO_API }, this.state.quotaUsed],
        ]),
        ...scalar(METRIC.externalApiRequests, "counter", "Calls to an external API.", [
          [{ [API_LABEL]: DEMO_API, [OUTCOME_LABEL]: OUTCOME.success }, this.apiCalls.success],
          [{ [API_LABEL]: DEMO_API, [OUTCOME_LABEL]: OUTCOME.failure }, this.apiCalls.failure],
        ]),
        ...scalar(
          METRIC.costMonthToDate,
          "gauge",
          "Month-to-date spend in USD.",
          Object.entries(DEMO_COST_USD).map(([source, usd]) => [{ [COST_SOURCE_LABEL]: source }, usd]),
        ),
        ...scalar(METRIC.usageBytes, "gauge", "Bytes used of a platform's size quota.", [
          [{ [API_LABEL]: DEMO_PLATFORM, [RESOURCE_LABEL]: "database" }, DEMO_DATABASE_BYTES],
        ]),
      );
    }
    if (role === "database") {
      const db = { datname: "postgres" };
      lines.push(
        ...scalar(METRIC.pgUp, "gauge", "Whether the last scrape of Postgres succeeded.", [[{}, 1]]),
        ...scalar(METRIC.pgConnections, "gauge", "Backends connected to this database.", [[db, 12 + (this.step % 5)]]),
        ...scalar(METRIC.pgMaxConnections, "gauge", "max_connections setting.", [[{}, 100]]),
        ...scalar(METRIC.pgBlocksHit, "counter", "Disk blocks found in the buffer cache.", [[db, this.blocks.hit]]),
        ...scalar(METRIC.pgBlocksRead, "counter", "Disk blocks read.", [[db, this.blocks.read]]),
        ...scalar(METRIC.pgReplicationLag, "gauge", "Replication lag behind the primary in seconds.", [[{}, 0.2]]),
      );
    }
    if (role === "job") {
      lines.push(
        ...scalar(METRIC.jobLastSuccess, "gauge", "Unix time of the job's last successful run.", [
          [{}, this.jobLastSuccess()],
        ]),
      );
    }
    return lines.join("\n") + "\n";
  }
}

export interface DemoApp {
  url: string;
  port: number;
  metrics: DemoMetrics;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": typeof body === "string" ? "text/plain; version=0.0.4" : "application/json",
  });
  res.end(text);
}

function roleParam(q: URLSearchParams, fallback: Role): Role | undefined {
  const r = q.get("role") ?? fallback;
  return (ROLES as readonly string[]).includes(r) ? (r as Role) : undefined;
}

function control(m: DemoMetrics, action: string, q: URLSearchParams): string | undefined {
  const s = m.state;
  const number = (name: string) => {
    const v = Number(q.get(name));
    return q.has(name) && Number.isFinite(v) && v >= 0 ? v : undefined;
  };
  switch (action) {
    case "outage": {
      const mode = q.get("mode") ?? "down";
      if (mode !== "down" && mode !== "degraded" && mode !== "none") return `mode must be down, degraded or none`;
      s.outage = mode;
      return;
    }
    case "errors":
    case "latency": {
      const role = roleParam(q, "api");
      const v = number(action === "errors" ? "share" : "ms");
      if (!role) return `role must be one of ${ROLES.join(", ")}`;
      if (v === undefined || (action === "errors" && v > 1))
        return action === "errors" ? "share must be a number in 0..1" : "ms must be a number >= 0";
      (action === "errors" ? s.errorShare : s.extraLatencyMs)[role] = v;
      return;
    }
    case "heartbeat":
      s.heartbeatStale = q.get("stale") !== "0";
      return;
    case "quota": {
      const v = number("used");
      if (v === undefined) return "used must be a number >= 0";
      s.quotaUsed = v;
      return;
    }
    case "deploy": {
      const role = roleParam(q, "frontend");
      if (!role) return `role must be one of ${ROLES.join(", ")}`;
      m.deploy(role);
      return;
    }
    case "reset":
      Object.assign(s, healthyState());
      return;
    default:
      return `unknown control ${action}`;
  }
}

/**
 * Starts the demo app on `host:port` (default a free loopback port), generating traffic every
 * `tickMs`.
 */
export async function startDemoApp(options: { host?: string; port?: number; tickMs?: number } = {}): Promise<DemoApp> {
  const host = options.host ?? "127.0.0.1";
  const metrics = new DemoMetrics();
  const sockets = new Set<Socket>();
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://demo");
    const path = url.pathname.replace(/\/+$/, "") || "/";
    const frontendDown = metrics.state.outage === "down";
    if (path === "/api/health") {
      if (frontendDown) return req.socket.destroy();
      return metrics.state.outage === "degraded"
        ? send(res, 503, { status: "degraded" })
        : send(res, 200, { status: "ok" });
    }
    if (path === "/-/ready") return send(res, 200, { status: "ready" });
    if (path === "/metrics") return send(res, 200, ROLES.map((r) => `# role ${r}\n${metrics.text(r)}`).join(""));
    const role = /^\/metrics\/(\w+)$/.exec(path)?.[1];
    if (role) {
      if (!(ROLES as readonly string[]).includes(role))
        return send(res, 404, { error: `no role ${role}; roles: ${ROLES.join(", ")}` });
      if (role === "frontend" && frontendDown) return req.socket.destroy();
      return send(res, 200, metrics.text(role as Role));
    }
    if (path === "/control" && req.method === "GET") return send(res, 200, metrics.state);
    const action = /^\/control\/(\w+)$/.exec(path)?.[1];
    if (action) {
      if (req.method !== "POST") return send(res, 405, { error: "use POST" });
      const problem = control(metrics, action, url.searchParams);
      return problem ? send(res, 400, { error: problem }) : send(res, 200, metrics.state);
    }
    send(res, 404, { error: "not found" });
  };
  const server = createServer(handle);
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const timer = setInterval(() => metrics.tick(), options.tickMs ?? 250);
  timer.unref();
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    metrics,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
