import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, request, type Server } from "node:http";
import { join } from "node:path";
import { ruleGroupsOf } from "../../artifacts";
import { loadCatalogFile } from "../../catalog/load";
import { backtest, type BacktestResult } from "../../backtest/run";
import { PrometheusClient } from "../../backtest/prometheus";
import { HISTORY_SCRAPE_MS } from "../../local/history";
import type { HistoryPrometheus } from "../../local/history-prometheus";
import { freePorts } from "../../local/supervisor";
import { binary, cli as inProcess, type CliOptions, type CliResult } from "../helpers/cli-in-process";
import type { GitRepo } from "../diff/git-repo";
import { DEMO_YAML, HOUR, historyFixture, type HistoryFixture } from "./history-fixture";
import { promtoolAgrees } from "./oracle";

const FROM = "3600";
const TO = String(12 * 3600);
/** The last hour: for runs whose assertions hold over any range (credentials, the text form of a verdict). */
const LAST_HOUR = String(11 * 3600);

const ORPHANS = `rules:\n  - { name: OrphanedRecords, expr: "crm_orphaned_records > 0", for: 15m, severity: P2, service: db }\n`;
const BASE_YAML = DEMO_YAML.replace(/^rules:\n/m, ORPHANS);
/** The head: web's P1 error rate 5% → 40%, web's P2 latency alert removed, a hand-written assistant alert on a recording rule added. */
const HEAD_YAML = BASE_YAML.replace('error_rate: { P1: "5%", for: 10s }', 'error_rate: { P1: "40%", for: 10s }')
  .replace("      latency_p95: { P2: 2s, for: 10s }\n", "")
  .replace(
    ORPHANS,
    `${ORPHANS}  - { name: AssistantSlow, expr: 'service:request_duration_seconds:quantile_rate5m{service="assistant", quantile="0.95"} > 3', for: 3m, severity: P2, service: assistant }\n`,
  );

let fixture: HistoryFixture | undefined;
let work: string;
let repo: GitRepo;
let prom: HistoryPrometheus;
let openMetrics: string;

/** `backtest` on the test repo's catalog, in-process (`run` = binary: as a real process, the command's smoke test). */
function cli(args: string[], env: Record<string, string> = {}, run: typeof binary = inProcess): Promise<CliResult> {
  const options: CliOptions = {
    cwd: repo.dir,
    env: { PROMETHEUS_URL: "", PROMETHEUS_USER: "", PROMETHEUS_PASSWORD: "", PROMETHEUS_TOKEN: "", ...env },
  };
  return run(
    ["backtest", "--catalog", join(repo.dir, "catalog.yaml"), "--custom-rules", join(repo.dir, "custom"), ...args],
    options,
  );
}

let headResult: Promise<BacktestResult> | undefined;
/** The head catalog over [FROM, TO] without base, with the dashboards' panels, run once for the tests that read it. */
const headOnly = () => (headResult ??= json(["--prometheus", prom.url, "--from", FROM, "--to", TO, "--dashboards"]));

const json = async (args: string[], env?: Record<string, string>): Promise<BacktestResult> => {
  const r = await cli([...args, "--json"], env);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as BacktestResult;
};

const find = (r: BacktestResult, service: string, alert: string, severity: string) => {
  const a = r.alerts.find((x) => x.labels.service === service && x.alert === alert && x.labels.severity === severity);
  assert.ok(a, `${service} ${alert} ${severity} in the result`);
  return a;
};

before(async () => {
  fixture = await historyFixture(BASE_YAML, HEAD_YAML);
  ({ work, repo, prom } = fixture);
  openMetrics = fixture.openMetrics();
});

after(() => fixture?.remove());

test("every alert's episodes agree with promtool test rules over the same series and rules, at every evaluation", async () => {
  const result = await headOnly();
  const groups = ruleGroupsOf(loadCatalogFile(join(repo.dir, "catalog.yaml")), { customRules: {}, profile: "prod" });
  const fired = result.alerts
    .filter((a) => a.head!.episodes.length)
    .map((a) => `${a.labels.service}/${a.alert}/${a.labels.severity}`);
  assert.ok(fired.length >= 8, `enough alerts fire for the comparison to mean something: ${fired.join(", ")}`);
  const oracle = promtoolAgrees(work, groups, openMetrics, HISTORY_SCRAPE_MS, result);
  assert.equal(oracle.status, 0, oracle.output);
});

test("ProbeDown fires one `for` after the health check starts failing and resolves at the first passing evaluation", async () => {
  const result = await headOnly();
  // The outage is at 40% of the 12 h history: 04:48 to 05:03; ProbeDown has for: 10s, evaluations are a minute apart.
  assert.deepEqual(find(result, "web", "ProbeDown", "P0").head!.episodes, [
    { start: "1970-01-01T04:49:00Z", end: "1970-01-01T05:03:00Z" },
  ]);
  assert.equal(find(result, "web", "ProbeDown", "P0").head!.firing_seconds, 14 * 60);
  // The job stops succeeding at 55% (06:36; its last success then reads an hour old); JobHeartbeatMissing has for: 5m.
  const heartbeat = find(result, "refresh", "JobHeartbeatMissing", "P2").head!.episodes;
  assert.equal(heartbeat.length, 1);
  assert.equal(heartbeat[0].start, "1970-01-01T06:41:00Z");
});

test("an alert reading recording rules fires over history in which they never ran (expanded inline), hand-written ones too", async () => {
  const result = await headOnly();
  const [errors] = find(result, "assistant", "ErrorRateHigh", "P2").head!.episodes;
  // 25% of LLM calls fail from 08:24 for 30 minutes; the 5-minute error ratio crosses 10% within minutes.
  assert.ok(
    errors &&
      Date.parse(errors.start) >= Date.parse("1970-01-01T08:24:00Z") &&
      Date.parse(errors.start) <= Date.parse("1970-01-01T08:30:00Z"),
    JSON.stringify(errors),
  );
  assert.ok(find(result, "assistant", "AssistantSlow", "P2").head, "the hand-written alert is evaluated");
});

test("a range of more than 11,000 evaluations is queried in chunks and still agrees with promtool at every evaluation", async () => {
  const catalog = loadCatalogFile(join(repo.dir, "catalog.yaml"));
  const groups = ruleGroupsOf(catalog, { customRules: {}, profile: "prod" }).filter((g) => g.service === "web");
  const webProbe = groups.map((g) => ({
    ...g,
    rules: g.rules.filter((r) => r.kind === "alert" && r.alert === "ProbeDown"),
  }));
  const client = new PrometheusClient(prom.url);
  const result = await backtest(client, { fromMs: HOUR, toMs: 12 * HOUR, stepMs: 3000, head: webProbe });
  assert.equal((12 * HOUR - HOUR) / 3000 + 1, 13_201);
  assert.ok(client.requests >= 3, `${client.requests} requests`);
  assert.equal(result.alerts[0].head!.episodes.length, 1);
  const oracle = promtoolAgrees(work, webProbe, openMetrics, HISTORY_SCRAPE_MS, result);
  assert.equal(oracle.status, 0, oracle.output);
});

test("--base shows base and head: a changed threshold, an added alert (base null) and a removed one (head null)", async () => {
  const result = await json(["--prometheus", prom.url, "--from", FROM, "--to", TO, "--base", "HEAD"]);
  const webErrors = find(result, "web", "ErrorRateHigh", "P1");
  assert.equal(webErrors.base!.episodes.length, 1, "5% catches the 30% error incident");
  assert.equal(webErrors.head!.episodes.length, 0, "40% does not");
  assert.equal(find(result, "assistant", "AssistantSlow", "P2").base, null);
  const removed = find(result, "web", "LatencyP95High", "P2");
  assert.equal(removed.head, null);
  assert.ok(removed.base);
  for (const a of result.alerts) assert.ok("base" in a, `${a.alert} has a base entry`);
  const md = await cli([
    "--prometheus",
    prom.url,
    "--from",
    FROM,
    "--to",
    TO,
    "--base",
    "HEAD",
    "--format",
    "markdown",
  ]);
  assert.equal(md.status, 0, md.stderr);
  assert.match(md.stdout, /\*\*.*1 alert pages less often.*1 alert is new, 1 alert is removed.*\*\*/);
  assert.match(md.stdout, /\| ErrorRateHigh \| P1 \| 1 → 0 \|/);
  assert.match(md.stdout, /web ErrorRateHigh P1\n {2}base ▁*█+▁*\n {2}head ▁+\n/);
});

test("without --base there is no base field; an alert reading series that do not exist lists them", async () => {
  const result = await headOnly();
  assert.ok(result.alerts.every((a) => !("base" in a)));
  assert.deepEqual(find(result, "db", "OrphanedRecords", "P2").missing_series, ["crm_orphaned_records"]);
  assert.deepEqual(find(result, "web", "ProbeDown", "P0").missing_series, []);
  const text = await cli(["--prometheus", prom.url, "--from", LAST_HOUR, "--to", TO]);
  assert.match(text.stdout, /verdict: .*1 alert reads series that do not exist/);
});

/** A loopback proxy to Prometheus answering 401 unless the request carries `expected` as Authorization. */
async function authProxy(expected: string): Promise<{ url: string; server: Server }> {
  const target = new URL(prom.url);
  const server = createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { "content-type": "text/plain" }).end("unauthorized\n");
      return;
    }
    const up = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    req.pipe(up);
  });
  const [port] = await freePorts(1);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${port}`, server };
}

test("basic auth comes from PROMETHEUS_USER + PROMETHEUS_PASSWORD, and a refusal names URL and status but no credential", async () => {
  const proxy = await authProxy(`Basic ${Buffer.from("tenant-42:s3cr3t-pa55").toString("base64")}`);
  try {
    const ok = await cli(["--prometheus", proxy.url, "--from", LAST_HOUR, "--to", TO, "--json"], {
      PROMETHEUS_USER: "tenant-42",
      PROMETHEUS_PASSWORD: "s3cr3t-pa55",
    });
    assert.equal(ok.status, 0, ok.stderr);
    const refused = await cli(["--from", FROM, "--to", TO], {
      PROMETHEUS_URL: proxy.url,
      PROMETHEUS_USER: "tenant-42",
      PROMETHEUS_PASSWORD: "wrong-pa55",
    });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, new RegExp(`${proxy.url}/api/v1/\\S+ answered HTTP 401`));
    assert.doesNotMatch(refused.stderr + refused.stdout, /wrong-pa55|tenant-42|dGVuYW50/);
  } finally {
    proxy.server.close();
  }
});

test("a bearer token comes from PROMETHEUS_TOKEN", async () => {
  const proxy = await authProxy("Bearer glc_token-123");
  try {
    const ok = await cli(["--prometheus", proxy.url, "--from", LAST_HOUR, "--to", TO, "--json"], {
      PROMETHEUS_TOKEN: "glc_token-123",
    });
    assert.equal(ok.status, 0, ok.stderr);
    const refused = await cli(["--prometheus", proxy.url, "--from", FROM, "--to", TO], {
      PROMETHEUS_TOKEN: "glc_other-456",
    });
    assert.equal(refused.status, 1);
    assert.doesNotMatch(refused.stderr, /glc_/);
  } finally {
    proxy.server.close();
  }
});

test("bin/ops-monitoring backtest with Prometheus down: exit 1 naming the URL and why, without credentials", async () => {
  const [port] = await freePorts(1);
  const r = await cli(
    ["--prometheus", `http://127.0.0.1:${port}`, "--from", FROM, "--to", TO],
    { PROMETHEUS_USER: "tenant-42", PROMETHEUS_PASSWORD: "s3cr3t-pa55" },
    binary,
  );
  assert.equal(r.status, 1);
  assert.match(
    r.stderr,
    new RegExp(`cannot reach Prometheus at http://127\\.0\\.0\\.1:${port}/api/v1/\\S+: ECONNREFUSED`),
  );
  assert.doesNotMatch(r.stderr, /s3cr3t|tenant-42|at .*\n\s+at /);
});

test("bad arguments exit 2 with a message: time, step, missing URL, half of basic auth", async () => {
  const cases: Array<[string[], Record<string, string>, RegExp]> = [
    [["--prometheus", prom.url, "--from", "yesterday", "--to", TO], {}, /--from "yesterday" is not a time/],
    [["--prometheus", prom.url, "--from", FROM, "--to", TO, "--step", "fast"], {}, /--step "fast"/],
    [["--from", FROM, "--to", TO], {}, /--prometheus URL \(or PROMETHEUS_URL\) is required/],
    [["--prometheus", prom.url, "--from", TO, "--to", FROM], {}, /--from must be before --to/],
    [
      ["--prometheus", prom.url, "--from", FROM, "--to", TO],
      { PROMETHEUS_USER: "tenant-42" },
      /PROMETHEUS_USER and PROMETHEUS_PASSWORD go together/,
    ],
  ];
  for (const [args, env, message] of cases) {
    const r = await cli(args, env);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

test("--dashboards lists the panels whose queries read series that do not exist, and only those", async () => {
  const result = await headOnly();
  // The history has no ALERTS series (no rules ran) and no TLS probes (the demo's health checks are http://).
  assert.deepEqual(
    result.dashboards!.map((d) => `${d.dashboard}/${d.panel}`),
    ["overview/Alerts firing now", "synthetics/TLS certificate days left"],
  );
  assert.deepEqual(result.dashboards![0].missing_series, ['ALERTS{alertstate="firing", alertname!="Watchdog"}']);
  const text = await cli(["--prometheus", prom.url, "--from", LAST_HOUR, "--to", TO, "--dashboards"]);
  assert.match(text.stdout, /verdict: .*2 dashboard panels stay empty/);
});
