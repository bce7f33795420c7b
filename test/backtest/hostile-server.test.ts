/**
 * backtest against a Prometheus that misbehaves: it never answers, answers without end,
 * answers shapes the API never returns, or says hostile things. Every case ends within a
 * bound, exits 1 naming the URL and the problem (2 for arguments), and prints nothing raw.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { join } from "node:path";
import { PrometheusClient } from "../../backtest/prometheus";
import { GOOD } from "../helpers/catalogs";
import { runCli } from "../helpers/cli-in-process";
import { listenOnLoopback } from "../helpers/loopback";

const CATALOG = join(GOOD, "minimal", "catalog.yaml");
const servers: Array<ReturnType<typeof createServer>> = [];
after(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

/** A fake Prometheus answering every request with `handle`; counts requests. */
async function fake(handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const state = { requests: 0, url: "" };
  const server = createServer((req, res) => {
    state.requests++;
    handle(req, res);
  });
  servers.push(server);
  state.url = await listenOnLoopback(server);
  return state;
}

const success = (data: unknown) => (_req: IncomingMessage, res: ServerResponse) =>
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "success", data }));

/** `backtest` of CATALOG against `url` with `args` as given; `backtest` adds the last hour. */
const backtestRange = (url: string, ...args: string[]) =>
  runCli(["backtest", "--catalog", CATALOG, "--prometheus", url, ...args]);
const backtest = (url: string, ...extra: string[]) => backtestRange(url, "--from", "now-1h", ...extra);

test("a server that accepts and never answers: exit 1 naming the URL after --timeout, queued queries never sent", async () => {
  const server = await fake(() => undefined);
  const started = Date.now();
  const r = await backtest(server.url, "--timeout", "1s");
  const seconds = (Date.now() - started) / 1000;
  assert.equal(r.code, 1, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(`^backtest: Prometheus at ${server.url}/api/v1/\\S+ did not answer within 1s`, "m"),
  );
  assert.ok(seconds < 6, `exited after ${seconds}s`);
  assert.ok(
    server.requests <= 4,
    `${server.requests} requests sent: only the first 4 in flight, none after the failure`,
  );
});

test("PROMETHEUS_TIMEOUT sets the timeout; a bad --timeout is an argument error", async () => {
  const server = await fake(() => undefined);
  process.env.PROMETHEUS_TIMEOUT = "500ms";
  try {
    const r = await backtest(server.url);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /did not answer within 0\.5s/);
  } finally {
    delete process.env.PROMETHEUS_TIMEOUT;
  }
  const bad = await backtest(server.url, "--timeout", "forever");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--timeout "forever" is not a duration between 1ms and 1h/);
});

test("an answer larger than the cap is refused naming the URL, after reading no more than the cap", async () => {
  let sent = 0;
  const server = await fake((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"status":"success","data":{"resultType":"matrix","result":[');
    const chunk = Buffer.alloc(64 * 1024, " ");
    const pump = () => {
      while (!res.destroyed && res.write(chunk)) sent += chunk.length;
    };
    res.on("drain", pump);
    pump();
  });
  const client = new PrometheusClient(server.url, { maxResponseBytes: 1024 * 1024 });
  await assert.rejects(
    client.queryRange("up", 0, 60_000, 15_000),
    new RegExp(
      `^Error: Prometheus at ${server.url}/api/v1/query_range answered more than 1 MiB; query a shorter range$`,
    ),
  );
  assert.ok(sent < 16 * 1024 * 1024, `${sent} bytes sent before the client gave up`);
});

test("answers the Prometheus API never returns are refused naming the URL and the problem", async () => {
  const matrix = (result: unknown) => ({ resultType: "matrix", result });
  const cases: Array<[unknown, RegExp]> = [
    [
      matrix([{ metric: { job: "web" }, values: [["x", "1"]] }]),
      /a sample is not \[<unix seconds>, "<value>"\]: \["x","1"\]/,
    ],
    [{ resultType: "vector", result: [] }, /resultType is "vector", not "matrix"/],
    [{ resultType: "string", result: [0, "x"] }, /resultType is "string", not "matrix"/],
    [null, /data is null, not an object/],
    [
      matrix([
        { metric: { job: "web" }, values: [[60, "1"]] },
        { metric: { job: "web" }, values: [[120, "1"]] },
      ]),
      /the series \[\["job","web"\]\] appears twice/,
    ],
    [
      matrix([
        {
          metric: { job: "web" },
          values: [
            [120, "1"],
            [60, "1"],
          ],
        },
      ]),
      /timestamps are not increasing/,
    ],
  ];
  for (const [data, problem] of cases) {
    const server = await fake(success(data));
    await assert.rejects(new PrometheusClient(server.url).queryRange("up", 0, 120_000, 60_000), (e: Error) => {
      assert.match(e.message, new RegExp(`^Prometheus at ${server.url}/api/v1/query_range answered something`));
      assert.match(e.message, problem);
      return true;
    });
  }
  const series = await fake(success({ resultType: "matrix" }));
  await assert.rejects(
    new PrometheusClient(series.url).hasSeries("up", 0, 60_000),
    /data is object, not a list of series/,
  );
});

test("non-numeric timestamps make backtest exit 1 instead of printing verdicts", async () => {
  const server = await fake(
    success({ resultType: "matrix", result: [{ metric: { job: "web" }, values: [["soon", "1"]] }] }),
  );
  const r = await backtest(server.url);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /answered something the Prometheus API never returns: a sample is not/);
});

test("server error text is cut and stripped of terminal escapes; the URL is named", async () => {
  const server = await fake((_req, res) =>
    res
      .writeHead(500, { "content-type": "application/json" })
      .end(JSON.stringify({ status: "error", error: `\u001b]0;pwned\u0007\u001b[31mred${"A".repeat(100_000)}` })),
  );
  const r = await backtest(server.url);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    new RegExp(`Prometheus at ${server.url}/api/v1/\\S+ answered HTTP 500 Internal Server Error: red`),
  );
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(r.stderr, /[\u0000-\u0008\u000b-\u001f\u007f]/);
  const line = r.stderr.split("\n").find((l) => l.startsWith("backtest: "))!;
  assert.ok(line.length < 400, `${line.length} characters`);
});

test("a PROMETHEUS_TOKEN with a line break is refused without echoing it", async () => {
  process.env.PROMETHEUS_TOKEN = "glc_pasted-token-123\r\n";
  try {
    const r = await backtest("http://127.0.0.1:9");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /PROMETHEUS_TOKEN contains a line break or another control character/);
    assert.doesNotMatch(r.stderr + r.stdout, /glc_pasted/);
  } finally {
    delete process.env.PROMETHEUS_TOKEN;
  }
});

test("a range needing more than 200,000 evaluations is refused before any query", async () => {
  const server = await fake(success({ resultType: "matrix", result: [] }));
  const tiny = await backtestRange(server.url, "--from", "now-1y", "--step", "1ms");
  assert.equal(tiny.code, 2);
  assert.match(tiny.stderr, /evaluations per alert .*; at most 200,000: use --step 2m38s or more, or a shorter range/);
  const far = await backtestRange(server.url, "--from", "0", "--to", "99999999999");
  assert.equal(far.code, 2);
  assert.match(far.stderr, /at most 200,000/);
  assert.equal(server.requests, 0);
});
