/**
 * `ack`, `ack --list` and `unack` against a real Alertmanager served under Grafana's path
 * (`--web.route-prefix=/api/alertmanager/grafana`) behind a reverse proxy that demands a bearer
 * token or basic auth, as Grafana's Alertmanager-compatible API does. The Alertmanager holds
 * every alert of one catalog twice: labelled as the local Alertmanager receives it and as
 * Grafana's does (alertname = rule title, grafana_folder, __alert_rule_uid__); its own matching
 * says which ones a silence covers. Both acks write the same matchers (`alert`, `service`).
 */
import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ruleGroupsOf } from "../../artifacts";
import { loadCatalog } from "../../catalog/load";
import { ruleUid } from "../../conventions";
import { grafanaRuleGroups } from "../../infra/grafana/rule-groups";
import { grafanaFeatures, rulesForGrafana } from "../../infra/grafana/versions";
import { freePorts } from "../../local/supervisor";
import { runCli } from "../helpers/cli-in-process";
import { listenOnLoopback } from "../helpers/loopback";
import { requireTool } from "../helpers/tools";

const PREFIX = "/api/alertmanager/grafana";
const TOKEN = "glsa_s3cr3t-T0KEN-value";
const WRONG_TOKEN = "glsa_wr0ng-T0KEN-value";
const PASSWORD = "hunter2-Pa55";

const catalogYaml = (grafanaUrl: string) => `
system: acme
grafana: { url: "${grafanaUrl}" }
services:
  - name: web
    kind: frontend
    health:
      - { url: "https://acme.example/" }
      - { url: "https://acme.example/api/health" }
  - name: api
    kind: api
    health: { url: "https://api.acme.example/health" }
alerting:
  routes: { P0: [hook], P1: [hook], P2: [], P3: [] }
  escalation: { P0: { after: 30m, to: [lead] } }
  contacts:
    hook: { type: webhook, url: "https://hooks.acme.example/alerts" }
    lead: { type: webhook, url: "https://hooks.acme.example/lead" }
`;

interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: { silencedBy: string[] };
}

describe("ack in prod, through Grafana's Alertmanager API", () => {
  let dir: string;
  let catalog: string;
  let am: ChildProcess;
  let amUrl: string;
  let proxy: Server;
  let grafanaUrl: string;
  const saved = { ...process.env };

  /** Runs the command line in this process with `env` added to the environment. */
  async function cli(argv: string[], env: Record<string, string> = {}) {
    for (const k of ["GRAFANA_TOKEN", "GRAFANA_USER", "GRAFANA_PASSWORD", "ALERTMANAGER_URL", "ALERTMANAGER_TOKEN"])
      delete process.env[k];
    Object.assign(process.env, env);
    try {
      return await runCli(argv);
    } finally {
      for (const k of Object.keys(env)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  }

  const amApi = async (path: string, init?: RequestInit) => {
    const r = await fetch(`${amUrl}${PREFIX}${path}`, init);
    assert.ok(r.ok, `${path}: HTTP ${r.status}`);
    const text = await r.text();
    return text ? (JSON.parse(text) as unknown) : undefined;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "ack-am-"));
    const [port] = await freePorts(1);
    amUrl = `http://127.0.0.1:${port}`;
    writeFileSync(join(dir, "am.yml"), "route: { receiver: none }\nreceivers: [{ name: none }]\n");
    am = spawn(
      requireTool("alertmanager"),
      [
        `--config.file=${join(dir, "am.yml")}`,
        `--storage.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--web.route-prefix=${PREFIX}`,
        "--cluster.listen-address=",
      ],
      { stdio: "ignore" },
    );
    proxy = createServer((req, res) => {
      const ok = [`Bearer ${TOKEN}`, `Basic ${Buffer.from(`admin:${PASSWORD}`).toString("base64")}`];
      if (!ok.includes(req.headers.authorization ?? "")) {
        res.writeHead(401, { "content-type": "application/json" });
        res.end('{"message":"invalid API key","status":"error"}');
        return;
      }
      const headers = { ...req.headers };
      delete headers.authorization;
      const upstream = request(`${amUrl}${req.url}`, { method: req.method, headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      req.pipe(upstream);
    });
    grafanaUrl = await listenOnLoopback(proxy);
    catalog = join(dir, "catalog.yaml");
    writeFileSync(catalog, catalogYaml(grafanaUrl));

    for (let i = 0; ; i++) {
      const ready = await fetch(`${amUrl}${PREFIX}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      assert.ok(i < 100, "Alertmanager did not become ready within 10s");
      await new Promise((r) => setTimeout(r, 100));
    }

    // Every alert of the catalog, as each target's Alertmanager receives it.
    const { catalog: model } = loadCatalog(catalog);
    const rules = ruleGroupsOf(model, { customRules: {}, profile: "prod" });
    const features = grafanaFeatures(model);
    const forGrafana = rulesForGrafana(rules, features);
    const grafana = grafanaRuleGroups(forGrafana, { catalog: model, datasourceUid: "prom", features });
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    const alerts: Array<{ labels: Record<string, string>; annotations: Record<string, string>; endsAt: string }> = [];
    forGrafana.forEach((g, gi) =>
      g.rules.forEach((rule, ri) => {
        if (rule.kind !== "alert") return;
        const uid = ruleUid(model.system, rule.id);
        // The series label that tells one health check's alert from another's (their rules' labels are equal).
        const series = { __test_rule__: uid };
        alerts.push({
          labels: { ...rule.labels, ...series, alertname: rule.alert },
          annotations: { form: "local", uid },
          endsAt,
        });
        const g2 = grafana[gi].rules[ri];
        alerts.push({
          labels: {
            ...g2.labels,
            ...series,
            alertname: g2.name,
            grafana_folder: model.folderTitle,
            __alert_rule_uid__: uid,
          },
          annotations: { form: "grafana", uid },
          endsAt,
        });
      }),
    );
    await amApi("/api/v2/alerts", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(alerts),
    });
  });

  after(async () => {
    // Alertmanager writes its silences and notification log into the data dir as it stops.
    const exited = am && am.exitCode === null ? once(am, "exit") : undefined;
    am?.kill();
    await exited;
    proxy?.closeAllConnections();
    proxy?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Rule uids of the alerts of `form` that `silenceId` silences. */
  async function silenced(silenceId: string, form: "local" | "grafana"): Promise<string[]> {
    const alerts = (await amApi("/api/v2/alerts")) as AmAlert[];
    return alerts
      .filter((a) => a.annotations.form === form && a.status.silencedBy.includes(silenceId))
      .map((a) => a.annotations.uid)
      .sort();
  }

  const uids = (...ids: string[]) => ids.map((id) => ruleUid("acme", id)).sort();

  it("silences exactly what the same ack silences locally: the service's alert of that name and its escalated copies", async () => {
    const local = await cli(["ack", "ProbeDown", "--service", "web", "--alertmanager", `${amUrl}${PREFIX}`]);
    assert.equal(local.code, 0, local.stderr);
    const prod = await cli(["ack", "ProbeDown", "--service", "web", "--stack", "prod", "--catalog", catalog], {
      GRAFANA_TOKEN: TOKEN,
    });
    assert.equal(prod.code, 0, prod.stderr);
    const expected = uids(
      "web/probe/root",
      "web/probe/root/escalation",
      "web/probe/api-health",
      "web/probe/api-health/escalation",
    );
    assert.deepEqual(await silenced(local.stdout.trim(), "local"), expected);
    assert.deepEqual(await silenced(prod.stdout.trim(), "grafana"), expected);
    for (const [id, form] of [
      [local.stdout.trim(), "local"],
      [prod.stdout.trim(), "grafana"],
    ] as const)
      assert.ok(
        !(await silenced(id, form)).includes(ruleUid("acme", "api/probe")),
        `${form}: api's ProbeDown silenced`,
      );
    assert.doesNotMatch(prod.stdout + prod.stderr, new RegExp(TOKEN));
  });

  it("the silence is the same in both targets: the alert label and the service", async () => {
    const local = await cli(["ack", "ProbeDown", "--service", "web", "--alertmanager", `${amUrl}${PREFIX}`]);
    const prod = await cli(["ack", "ProbeDown", "--service", "web", "--stack", "prod", "--catalog", catalog], {
      GRAFANA_TOKEN: TOKEN,
    });
    const matchers = async (id: string) =>
      ((await amApi(`/api/v2/silence/${id}`)) as { matchers: Array<Record<string, unknown>> }).matchers;
    const expected = [
      { name: "alert", value: "ProbeDown", isRegex: false, isEqual: true },
      { name: "service", value: "web", isRegex: false, isEqual: true },
    ];
    assert.deepEqual(await matchers(local.stdout.trim()), expected);
    assert.deepEqual(await matchers(prod.stdout.trim()), expected);
  });

  it("without --service, that alert of every service, in both targets alike", async () => {
    const local = await cli(["ack", "ProbeDown", "--alertmanager", `${amUrl}${PREFIX}`]);
    const prod = await cli(["ack", "ProbeDown", "--stack", "prod", "--catalog", catalog], { GRAFANA_TOKEN: TOKEN });
    assert.equal(prod.code, 0, prod.stderr);
    const expected = await silenced(local.stdout.trim(), "local");
    assert.deepEqual(await silenced(prod.stdout.trim(), "grafana"), expected);
    assert.ok(expected.includes(ruleUid("acme", "api/probe")) && expected.length === 6, expected.join(" "));
  });

  it("lists the acks (id, until when, who, what, comment) and unack expires one", async () => {
    const acked = await cli(
      ["ack", "TlsCertificateExpiring", "--service", "api", "--for", "2h", "--comment", "renewing", "--stack", "prod"],
      { GRAFANA_TOKEN: TOKEN },
    );
    // --catalog defaults to Pulumi.prod.yaml, which has no service api: refused before any request.
    assert.equal(acked.code, 2);
    assert.match(acked.stderr, /no alert TlsCertificateExpiring of service api in the catalog/);

    const ack = await cli(
      [
        "ack",
        "TlsCertificateExpiring",
        "--service",
        "api",
        "--for",
        "2h",
        "--comment",
        "renewing",
        "--stack",
        "prod",
      ].concat(["--catalog", catalog]),
      { GRAFANA_TOKEN: TOKEN, USER: "alice" },
    );
    assert.equal(ack.code, 0, ack.stderr);
    const id = ack.stdout.trim();
    const list = await cli(["ack", "--list", "--stack", "prod", "--catalog", catalog], { GRAFANA_TOKEN: TOKEN });
    assert.equal(list.code, 0, list.stderr);
    const line = list.stdout.split("\n").find((l) => l.startsWith(id));
    assert.ok(line, list.stdout);
    assert.match(
      line,
      /until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z {2}by alice {2}\{alert="TlsCertificateExpiring", service="api"\} {2}"renewing"$/,
    );
    assert.ok((await silenced(id, "grafana")).length > 0);

    const unack = await cli(["unack", id, "--stack", "prod", "--catalog", catalog], { GRAFANA_TOKEN: TOKEN });
    assert.equal(unack.code, 0, unack.stderr);
    assert.match(unack.stderr, new RegExp(`expired silence ${id}`));
    const after = await cli(["ack", "--list", "--stack", "prod", "--catalog", catalog], { GRAFANA_TOKEN: TOKEN });
    assert.ok(!after.stdout.includes(id), after.stdout);
    assert.deepEqual(await silenced(id, "grafana"), []);
  });

  it("a wrong token: exit 1 naming Grafana and HTTP 401, nothing of the token printed", async () => {
    for (const argv of [
      ["ack", "ProbeDown", "--stack", "prod", "--catalog", catalog],
      ["ack", "--list", "--stack", "prod", "--catalog", catalog],
      ["unack", "0b9c5d2e-0000-4000-8000-000000000000", "--stack", "prod", "--catalog", catalog],
    ]) {
      const r = await cli(argv, { GRAFANA_TOKEN: WRONG_TOKEN });
      assert.equal(r.code, 1, argv.join(" "));
      assert.match(r.stderr, new RegExp(`Grafana at ${grafanaUrl}${PREFIX} \\(grafana.url\\) refused .*HTTP 401`));
      assert.equal(r.stdout, "");
      assert.doesNotMatch(r.stderr, /wr0ng|glsa/);
    }
  });

  it("no token set: exit 2 saying which variable, before any request", async () => {
    const r = await cli(["ack", "ProbeDown", "--stack", "prod", "--catalog", catalog]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /set GRAFANA_TOKEN/);
  });

  it("ALERTMANAGER_URL with user:password uses basic auth and never prints the password, also when refused", async () => {
    const withPassword = (password: string) => {
      const u = new URL(`${grafanaUrl}${PREFIX}`);
      u.username = "admin";
      u.password = password;
      return u.toString();
    };
    const ok = await cli(["ack", "Watchdog"], { ALERTMANAGER_URL: withPassword(PASSWORD) });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout.trim(), /^[0-9a-f-]{36}$/);
    assert.doesNotMatch(ok.stderr, new RegExp(PASSWORD));
    const refused = await cli(["ack", "Watchdog"], { ALERTMANAGER_URL: withPassword(`${PASSWORD}x`) });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /HTTP 401/);
    assert.doesNotMatch(refused.stderr + refused.stdout, /hunter2|admin/);
    const bearer = await cli(["ack", "--list"], {
      ALERTMANAGER_URL: `${grafanaUrl}${PREFIX}`,
      ALERTMANAGER_TOKEN: TOKEN,
    });
    assert.equal(bearer.code, 0, bearer.stderr);
  });
});
