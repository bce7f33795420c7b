/**
 * `bin/ops-monitoring start --catalog F` with a catalog written for this test (not the demo):
 * its own health endpoint and its own webhook receiver, both run here. The catalog file is
 * used as written; the outage is notified to the receiver, then resolved.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { interruptAndCheck, spawnStart, stopStart, until, type StartProcess } from "../../local/start-process";
import { listenOnLoopback } from "../helpers/loopback";

interface Received {
  status: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

let healthy = true;
const received: Received[] = [];
let health: Server;
let receiver: Server;
let dir: string;
let start: StartProcess;

const catalogYaml = (healthUrl: string, hookUrl: string) => `
system: shopco
default_team: checkout
services:
  - name: shop
    kind: api
    health: { url: "${healthUrl}/healthz", every: 5s, timeout: 2s, for: 10s }
alerting:
  routes: { P0: [team-hook], P1: [team-hook], P2: [], P3: [] }
  contacts:
    team-hook: { type: webhook, url: "${hookUrl}/hook" }
`;

const firing = (status: string) =>
  received.find((r) => r.labels.alertname === "ProbeDown" && r.labels.service === "shop" && r.status === status);

describe("local mode with a catalog of one's own", { timeout: 120_000 }, () => {
  before(async () => {
    health = createServer((_req, res) => {
      res.writeHead(healthy ? 200 : 500, { "content-type": "text/plain" }).end(healthy ? "ok" : "broken");
    });
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { alerts: Received[] };
        received.push(...body.alerts);
        res.writeHead(200).end();
      });
    });
    const [healthUrl, hookUrl] = await Promise.all([listenOnLoopback(health), listenOnLoopback(receiver)]);
    dir = mkdtempSync(join(tmpdir(), "own-catalog-"));
    writeFileSync(join(dir, "catalog.yaml"), catalogYaml(healthUrl, hookUrl));
    start = spawnStart(["--catalog", join(dir, "catalog.yaml")]);
    await start.waitForLine(/\bready\b/, 40_000);
  });
  after(async () => {
    await stopStart(start);
    health?.closeAllConnections();
    receiver?.closeAllConnections();
    await Promise.all([health, receiver].map((s) => new Promise((r) => s?.close(r))));
    rmSync(dir, { recursive: true, force: true });
  });

  it("starts without the demo app", () => {
    assert.equal(start.urls["demo app"], undefined);
    assert.ok(start.urls.prometheus);
  });

  it("notifies the catalog's webhook that the service is down, then that it recovered", async () => {
    await until("a successful probe", 20_000, async () => {
      const res = await fetch(
        `${start.urls.prometheus}/api/v1/query?query=${encodeURIComponent('probe_success{job="shop-health"} == 1')}`,
      );
      return ((await res.json()) as { data: { result: unknown[] } }).data.result.length ? true : undefined;
    });
    assert.equal(firing("firing"), undefined, "no alert while healthy");
    healthy = false;
    const down = await until("ProbeDown firing at the webhook", 50_000, () => firing("firing"));
    assert.equal(down.labels.severity, "P0");
    assert.equal(down.labels.team, "checkout");
    assert.match(down.annotations.summary, /shop is down/);
    healthy = true;
    await until("ProbeDown resolved at the webhook", 50_000, () => firing("resolved"));
  });

  it("leaves no child process behind after SIGINT", async () => {
    const { code, survivors } = await interruptAndCheck(start, 20_000);
    assert.equal(code, 0);
    assert.deepEqual(survivors, []);
  });
});
