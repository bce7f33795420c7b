/**
 * Prod notifies what the tested Alertmanager path notifies. Grafana's notification policy tree
 * is evaluated by the Alertmanager routing code Grafana embeds, so the planned tree (read back
 * from `plan --json`) is converted to an Alertmanager route and both trees are judged by a real
 * Alertmanager, for every alert of the catalog: Grafana's labels (the rule's, plus `alertname` =
 * title, `grafana_folder` = folder title and `__alert_rule_uid__`, as grafana/grafana
 * pkg/services/ngalert/state/manager.go GetRuleExtraLabels adds them) on one side, the Prometheus
 * rule's labels plus `alertname` on the other. One Alertmanager serves the file: each tree is
 * loaded into it (`/-/reload`), every alert posted to it, and `GET /api/v2/alerts` lists each
 * alert's receivers, which Alertmanager works out with the same `dispatch.Route.Match` that
 * `amtool config routes test` runs (prometheus/alertmanager api/v2/api.go getAlertsHandler,
 * cli/test_routing.go): one request for all the alerts instead of an amtool run per alert.
 * amtool still judges the first alert and a stray one on both trees.
 *
 * Each route's receiver is renamed to what it means — contact (or `nobody`: Alertmanager's
 * `dashboard-only`, a Grafana policy muted at all times), effective group_by, group_wait,
 * group_interval, repeat_interval and mute timings, inherited as Alertmanager inherits them —
 * so amtool's answer compares all of it; group keys are compared per alert.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { parse, stringify } from "yaml";
import { loadCatalogFile } from "../../catalog/load";
import { ALWAYS_MUTED, muteTimingName } from "../../conventions";
import { renderedAlerts, rulesOf } from "../helpers/rendered-alerts";
import { findBinary } from "../../verify/tools";
import { freePorts } from "../../local/supervisor";
import { cli } from "../helpers/cli-in-process";
import { GOOD, holdsProdCatalog } from "../helpers/catalogs";
import { requireTool } from "../helpers/tools";

const run = promisify(execFile);
const ROOT = join(__dirname, "..", "..");
const amtool = findBinary("amtool");

const CATALOGS = [
  ...readdirSync(join(ROOT, "examples"))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => join("examples", f))
    .filter((f) => !holdsProdCatalog(join(ROOT, f))),
  "Pulumi.prod.yaml",
  // Policies, escalation, mute timings, a Watchdog contact and a group_by naming alertname.
  join(GOOD, "all-kinds", "catalog.yaml"),
];

type Obj = Record<string, unknown>;
interface AmRoute {
  receiver?: string;
  matchers?: string[];
  continue?: boolean;
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  mute_time_intervals?: string[];
  routes?: AmRoute[];
}
interface Policy {
  contactPoint?: string;
  matchers?: Array<{ label: string; match: string; value: string }>;
  continue?: boolean;
  groupBies?: string[];
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  muteTimings?: string[];
  policies?: Policy[];
}

/** The planned Grafana policy tree as an Alertmanager route (Grafana embeds Alertmanager's routing). */
function policyRoute(p: Policy): AmRoute {
  return {
    ...(p.contactPoint ? { receiver: p.contactPoint } : {}),
    ...(p.matchers ? { matchers: p.matchers.map((m) => `${m.label}${m.match}${JSON.stringify(m.value)}`) } : {}),
    ...(p.continue ? { continue: true } : {}),
    ...(p.groupBies ? { group_by: p.groupBies } : {}),
    ...(p.groupWait ? { group_wait: p.groupWait } : {}),
    ...(p.groupInterval ? { group_interval: p.groupInterval } : {}),
    ...(p.repeatInterval ? { repeat_interval: p.repeatInterval } : {}),
    ...(p.muteTimings ? { mute_time_intervals: p.muteTimings } : {}),
    ...(p.policies ? { routes: p.policies.map(policyRoute) } : {}),
  };
}

/**
 * Every route's receiver named for what it does, inheritance resolved as Alertmanager does
 * (receiver, group_by and timings from the parent; mute timings not).
 */
function meaningful(
  root: AmRoute,
  contact: (receiver: string) => string,
  nobody: (r: AmRoute, receiver: string) => boolean,
): { route: AmRoute; names: Set<string> } {
  const names = new Set<string>();
  const walk = (
    r: AmRoute,
    parent: Required<Pick<AmRoute, "receiver" | "group_by" | "group_wait" | "group_interval" | "repeat_interval">>,
  ): AmRoute => {
    const eff = {
      receiver: r.receiver ?? parent.receiver,
      group_by: r.group_by ?? parent.group_by,
      group_wait: r.group_wait ?? parent.group_wait,
      group_interval: r.group_interval ?? parent.group_interval,
      repeat_interval: r.repeat_interval ?? parent.repeat_interval,
    };
    const name = nobody(r, eff.receiver)
      ? "nobody"
      : [
          contact(eff.receiver),
          [...eff.group_by].sort().join(","),
          eff.group_wait,
          eff.group_interval,
          eff.repeat_interval,
          (r.mute_time_intervals ?? []).map(contact).sort().join(","),
        ].join(" ");
    names.add(name);
    return {
      ...(r.matchers ? { matchers: r.matchers } : {}),
      ...(r.continue ? { continue: true } : {}),
      receiver: name,
      ...(r.routes ? { routes: r.routes.map((c) => walk(c, eff)) } : {}),
    };
  };
  const top = walk(root, {
    receiver: root.receiver!,
    group_by: root.group_by!,
    group_wait: root.group_wait!,
    group_interval: root.group_interval!,
    repeat_interval: root.repeat_interval!,
  });
  return { route: top, names };
}

type Labels = Record<string, string>;

/** The Alertmanager of this file: its config file, reloaded for each tree, and its URL. */
let am: { process: ChildProcess; dir: string; url: string } | undefined;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), "ops-monitoring-parity-am-"));
  const [port] = await freePorts(1);
  writeFileSync(join(dir, "alertmanager.yml"), "route: { receiver: none }\nreceivers: [{ name: none }]\n");
  const child = spawn(
    requireTool("alertmanager"),
    [
      `--config.file=${join(dir, "alertmanager.yml")}`,
      `--storage.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--cluster.listen-address=",
    ],
    { stdio: "ignore" },
  );
  am = { process: child, dir, url: `http://127.0.0.1:${port}` };
  for (let i = 0; ; i++) {
    const ready = await fetch(`${am.url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    assert.ok(i < 100 && child.exitCode === null, "Alertmanager did not become ready within 10s");
    await new Promise((r) => setTimeout(r, 100));
  }
});

after(async () => {
  if (!am) return;
  const exited = am.process.exitCode === null ? once(am.process, "exit") : undefined;
  am.process.kill();
  await exited;
  rmSync(am.dir, { recursive: true, force: true });
});

/** An alert's identity in Alertmanager: its labels without the empty ones (the API drops those). */
const identity = (labels: Labels) =>
  JSON.stringify(
    Object.entries(labels)
      .filter(([, v]) => v !== "")
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );

/**
 * The receivers the real Alertmanager routes each of `alerts` to under the config in `file`,
 * sorted: the config is loaded into it, the alerts posted, and their receivers read back.
 */
async function routed(file: string, alerts: Labels[]): Promise<string[][]> {
  writeFileSync(join(am!.dir, "alertmanager.yml"), readFileSync(file));
  const reload = await fetch(`${am!.url}/-/reload`, { method: "POST" });
  assert.equal(reload.status, 200, `Alertmanager refused ${file}: ${await reload.text()}`);
  const endsAt = new Date(Date.now() + 3_600_000).toISOString();
  const posted = await fetch(`${am!.url}/api/v2/alerts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(alerts.map((labels) => ({ labels, endsAt }))),
  });
  assert.equal(posted.status, 200, await posted.text());
  const listed = await fetch(`${am!.url}/api/v2/alerts`);
  assert.equal(listed.status, 200);
  const byIdentity = new Map(
    ((await listed.json()) as Array<{ labels: Labels; receivers: Array<{ name: string }> }>).map((a) => [
      identity(a.labels),
      a.receivers.map((r) => r.name).sort(),
    ]),
  );
  return alerts.map((labels) => {
    const receivers = byIdentity.get(identity(labels));
    assert.ok(receivers, `Alertmanager lists the alert ${JSON.stringify(labels)}`);
    return receivers;
  });
}

/** amtool's answer for one alert: the receivers it prints (comma-separated), sorted. */
async function receivers(dir: string, file: string, labels: Record<string, string>): Promise<string[]> {
  const args = [
    "config",
    "routes",
    "test",
    `--config.file=${join(dir, file)}`,
    ...Object.entries(labels).map(([k, v]) => `${k}=${v}`),
  ];
  const { stdout } = await run(amtool!, args);
  return stdout
    .trim()
    .split(",")
    .map((s) => s.trim())
    .sort();
}

for (const path of CATALOGS) {
  test(`Grafana's policy tree routes every alert of ${path} to the same contacts, groups and timings as alertmanager.yml (real Alertmanager and amtool)`, async () => {
    assert.ok(amtool, "amtool is not installed");
    const catalog = loadCatalogFile(resolve(ROOT, path));
    const plan = await cli(["plan", "--catalog", path, "--stack", "prod", "--json"], { cwd: ROOT });
    assert.equal(plan.status, 0, plan.stderr);
    const resources = (JSON.parse(plan.stdout) as { resources: Array<{ type: string; inputs: Obj }> }).resources;
    const of = (type: string) => resources.filter((r) => r.type === type).map((r) => r.inputs);
    const folder = of("grafana:oss/folder:Folder")[0].title as string;
    const policy = of("grafana:alerting/notificationPolicy:NotificationPolicy")[0] as Policy;
    const system = catalog.system;
    const alwaysMuted = muteTimingName(system, ALWAYS_MUTED);
    const stripSystem = (name: string) => (name.startsWith(`${system}-`) ? name.slice(system.length + 1) : name);

    const dir = mkdtempSync(join(tmpdir(), "ops-monitoring-parity-"));
    const out = join(dir, "render");
    const rendered = await cli(["render", "--catalog", path, "--out", out], { cwd: ROOT });
    assert.equal(rendered.status, 0, rendered.stderr);
    const read = (file: string) => readFileSync(join(out, file), "utf8");
    const local = parse(read("alertmanager/alertmanager.yml")) as { route: AmRoute; time_intervals?: Obj[] };
    const localM = meaningful(
      local.route,
      (n) => n,
      (_r, receiver) => receiver === "dashboard-only",
    );
    const grafanaM = meaningful(
      policyRoute(policy),
      stripSystem,
      (r, receiver) => (r.mute_time_intervals ?? []).includes(alwaysMuted) || receiver === undefined,
    );
    const grafanaTimes = of("grafana:alerting/muteTiming:MuteTiming").map((m) => ({
      name: m.name,
      time_intervals: (m.intervals as Obj[]).map((i) => ({
        ...(i.weekdays ? { weekdays: i.weekdays } : {}),
        ...(i.times
          ? {
              times: (i.times as Array<{ start: string; end: string }>).map((t) => ({
                start_time: t.start,
                end_time: t.end,
              })),
            }
          : {}),
        ...(i.location ? { location: i.location } : {}),
      })),
    }));
    try {
      const write = (file: string, route: AmRoute, names: Set<string>, times: Obj[] | undefined) =>
        writeFileSync(
          join(dir, file),
          stringify({
            route,
            receivers: [...names].map((name) => ({ name })),
            ...(times?.length ? { time_intervals: times } : {}),
          }),
        );
      write("local.yml", localM.route, localM.names, local.time_intervals);
      write("grafana.yml", grafanaM.route, grafanaM.names, grafanaTimes);

      // The alerts: Grafana's rules as planned, and the Prometheus rules as rendered, with the same labels.
      const grafanaRules = of("grafana:alerting/ruleGroup:RuleGroup")
        .flatMap((g) => g.rules as Obj[])
        .filter((r) => r.condition !== undefined);
      const promRules = renderedAlerts(
        readdirSync(join(out, "prometheus", "rules")).flatMap((f) => rulesOf(read(join("prometheus", "rules", f)))),
      );
      const key = (l: Record<string, string>) => JSON.stringify(Object.entries(l).sort());
      assert.deepEqual(
        grafanaRules.map((r) => key(r.labels as Record<string, string>)).sort(),
        promRules.map((r) => key(r.labels as Record<string, string>)).sort(),
        "the same alerts with the same labels in both targets",
      );
      const matched = new Set(
        [localM.route, grafanaM.route].flatMap(function labelsOf(r: AmRoute): string[] {
          return [...(r.matchers ?? []).map((m) => /^[A-Za-z_]\w*/.exec(m)![0]), ...(r.routes ?? []).flatMap(labelsOf)];
        }),
      );
      const cases = new Map<
        string,
        { grafana: Record<string, string>; local: Record<string, string>; names: string[] }
      >();
      for (const r of grafanaRules) {
        const labels = r.labels as Record<string, string>;
        const grafana: Record<string, string> = {
          ...labels,
          alertname: r.name as string,
          grafana_folder: folder,
          __alert_rule_uid__: (r.uid as string) ?? "",
        };
        const localLabels: Record<string, string> = { ...labels, alertname: labels.alert };
        const projection = key(Object.fromEntries(Object.entries(grafana).filter(([k]) => matched.has(k))));
        const entry = cases.get(projection) ?? { grafana, local: localLabels, names: [] as string[] };
        entry.names.push(r.name as string);
        cases.set(projection, entry);
        // Group key: the values of group_by labels, per alert.
        const groupBy = policy.groupBies!;
        assert.deepEqual(
          groupBy.map((l) => grafana[l] ?? ""),
          (local.route.group_by ?? []).map((l) => localLabels[l] ?? ""),
          `${r.name as string}: the same group key`,
        );
      }
      const all = [...cases.values()];
      const grafanaRoutes = await routed(
        join(dir, "grafana.yml"),
        all.map((c) => c.grafana),
      );
      const localRoutes = await routed(
        join(dir, "local.yml"),
        all.map((c) => c.local),
      );
      all.forEach((c, i) => {
        const [g, l] = [grafanaRoutes[i], localRoutes[i]];
        assert.deepEqual(
          g,
          l,
          `${c.names.join(", ")}: Grafana routes to ${g.join(" | ")}, Alertmanager to ${l.join(" | ")}`,
        );
      });
      // amtool, reading the same files, agrees with the served route (it splits receiver names at commas).
      const split = (names: string[]) => names.flatMap((n) => n.split(",").map((p) => p.trim())).sort();
      assert.deepEqual(await receivers(dir, "grafana.yml", all[0].grafana), split(grafanaRoutes[0]));
      assert.deepEqual(await receivers(dir, "local.yml", all[0].local), split(localRoutes[0]));
      // An alert without severity reaches nobody in both.
      const stray = { alert: "Stray", alertname: "Stray", service: "elsewhere" };
      assert.deepEqual(await receivers(dir, "grafana.yml", { ...stray, grafana_folder: "Other" }), ["nobody"]);
      assert.deepEqual(await receivers(dir, "local.yml", stray), ["nobody"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
