/**
 * The notification sink of local mode: receives Alertmanager's webhook JSON on any path,
 * prints one readable line per alert and keeps every alert in memory (also served as JSON on
 * `GET /alerts`) so tests and the curious can check what was notified.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ALERT_NAME_LABEL, ANNOTATION, LABEL } from "../conventions";

/** One alert of one notification, as received. */
export interface SinkAlert {
  /** When the sink received it (ms since epoch). */
  receivedAt: number;
  status: "firing" | "resolved";
  /** Alertmanager receiver that sent it (`local-sink`, or a catalog contact). */
  receiver: string;
  alertname: string;
  severity: string;
  service: string;
  summary: string;
  runbookUrl: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** The parts of Alertmanager's webhook payload (version 4) the sink reads. */
interface WebhookPayload {
  receiver?: string;
  alerts?: Array<{ status?: string; labels?: Record<string, string>; annotations?: Record<string, string> }>;
}

export function parsePayload(body: unknown, receivedAt: number): SinkAlert[] {
  const p = body as WebhookPayload;
  if (!p || typeof p !== "object" || !Array.isArray(p.alerts))
    throw new Error("not an Alertmanager webhook payload (no alerts array)");
  return p.alerts.map((a) => {
    const labels = a.labels ?? {};
    const annotations = a.annotations ?? {};
    return {
      receivedAt,
      status: a.status === "resolved" ? "resolved" : "firing",
      receiver: p.receiver ?? "",
      alertname: labels[ALERT_NAME_LABEL] ?? "",
      severity: labels[LABEL.severity] ?? "",
      service: labels[LABEL.service] ?? "",
      summary: annotations[ANNOTATION.summary] ?? "",
      runbookUrl: annotations[ANNOTATION.runbookUrl] ?? "",
      labels,
      annotations,
    };
  });
}

/** `12:04:05 FIRING   P0 web ProbeDown — web is down: ... runbook: ... [via oncall]` */
export function formatAlert(a: SinkAlert): string {
  const time = new Date(a.receivedAt).toISOString().slice(11, 19);
  const parts = [
    time,
    a.status.toUpperCase().padEnd(8),
    a.severity || "-",
    a.service || "-",
    a.alertname,
    "—",
    a.summary,
  ];
  if (a.runbookUrl) parts.push(`runbook: ${a.runbookUrl}`);
  return `${parts.join(" ")} [via ${a.receiver}]`;
}

export interface Sink {
  url: string;
  alerts: SinkAlert[];
  /** Resolves with the first alert (already received or arriving) matching `match`; rejects after `timeoutMs`. */
  waitFor(match: (a: SinkAlert) => boolean, timeoutMs: number): Promise<SinkAlert>;
  close(): Promise<void>;
}

const MAX_BODY = 4 * 1024 * 1024;

/** Starts the sink on a free loopback port (or `port`); `print` gets one line per alert. */
export async function startSink(
  options: { print?: (line: string) => void; host?: string; port?: number } = {},
): Promise<Sink> {
  const print = options.print ?? ((line: string) => console.log(line));
  const alerts: SinkAlert[] = [];
  const waiters = new Set<(a: SinkAlert) => void>();
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/-/ready") {
      res.writeHead(200).end("ready");
      return;
    }
    if (req.method === "GET" && req.url === "/alerts") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(alerts));
      return;
    }
    if (req.method !== "POST") {
      res.writeHead(405).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on("end", () => {
      let received: SinkAlert[];
      try {
        received = parsePayload(JSON.parse(Buffer.concat(chunks).toString("utf8")), Date.now());
      } catch (e) {
        res.writeHead(400, { "content-type": "text/plain" }).end((e as Error).message);
        return;
      }
      for (const a of received) {
        alerts.push(a);
        print(formatAlert(a));
        for (const w of waiters) w(a);
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}/`,
    alerts,
    waitFor(match, timeoutMs) {
      const seen = alerts.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = (a: SinkAlert) => {
          if (!match(a)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(a);
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(
              `no matching alert within ${timeoutMs}ms; received: ${alerts.map(formatAlert).join("; ") || "none"}`,
            ),
          );
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
