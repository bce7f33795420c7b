/**
 * On-call routing in Grafana, as the Pulumi program registers it (real program, mocked engine):
 * the notification policy tree with escalation and policies, mute timings with a time zone,
 * and the escalated copy of a rule. Expectations are written out by hand.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCatalogYaml } from "../../catalog/load";
import { runProgramUnderMocks, type RegisteredResource } from "../../infra/offline-engine";
import { GOOD } from "../helpers/catalogs";

const raw = parseCatalogYaml(readFileSync(join(GOOD, "all-kinds", "catalog.yaml"), "utf8"), "all-kinds") as Record<
  string,
  unknown
>;
raw.alerting = {
  ack_timeout: "2m",
  routes: { P0: ["pagerduty"], P1: ["email"], P2: ["email"], P3: [] },
  escalation: { P0: { after: "30m", to: ["lead"] } },
  policies: [
    { match: { signal: "budget" }, to: ["finance"] },
    { match: { team: "growth", signal: "probe" }, to: ["lead"] },
  ],
  mute_timings: [
    {
      name: "nights",
      weekdays: ["monday:friday"],
      times: [{ start: "22:00", end: "07:00" }],
      severities: ["P2"],
      location: "Europe/Berlin",
    },
  ],
  contacts: {
    pagerduty: { type: "pagerduty", integration_key: { secret: "pagerdutyKey" } },
    email: { type: "email", to: ["ops@acme.example"] },
    lead: { type: "email", to: ["lead@acme.example"] },
    finance: { type: "email", to: ["finance@acme.example"] },
  },
};

const run = runProgramUnderMocks(raw, "prod");
const ofType = (resources: RegisteredResource[], type: string) => resources.filter((r) => r.type === type);

const severity = (s: string) => ({ label: "severity", match: "=", value: s });
const fast = { groupInterval: "1m", repeatInterval: "1m30s" };
const to = (...names: string[]) => names.map((n) => ({ contactPoint: `acme-${n}`, continue: true }));
const muted = (...names: string[]) =>
  names.map((n) => ({ contactPoint: `acme-${n}`, continue: true, muteTimings: ["acme-nights"] }));
const bySeverity = (contacts: string[]) => [
  { matchers: [severity("P0")], continue: false, ...fast, policies: to(...contacts) },
  { matchers: [severity("P1")], continue: false, ...fast, policies: to(...contacts) },
  { matchers: [severity("P2")], continue: false, policies: muted(...contacts) },
  { matchers: [severity("P3")], continue: false, policies: to(...contacts) },
];

test("the policy tree: Watchdog, escalated copies, policies in catalog order, then severities", async () => {
  const { resources } = await run;
  const [policy] = ofType(resources, "grafana:alerting/notificationPolicy:NotificationPolicy");
  const tree = policy.inputs.policies as unknown[];
  assert.deepEqual(tree.slice(1), [
    {
      matchers: [severity("P0"), { label: "escalation", match: "=~", value: ".+" }],
      continue: false,
      ...fast,
      policies: to("lead"),
    },
    {
      matchers: [{ label: "signal", match: "=", value: "budget" }],
      continue: false,
      policies: bySeverity(["finance"]),
    },
    {
      matchers: [
        { label: "signal", match: "=", value: "probe" },
        { label: "team", match: "=", value: "growth" },
      ],
      continue: false,
      policies: bySeverity(["lead"]),
    },
    { matchers: [severity("P0")], continue: false, ...fast, policies: to("pagerduty") },
    { matchers: [severity("P1")], continue: false, ...fast, policies: to("email") },
    { matchers: [severity("P2")], continue: false, policies: muted("email") },
    { matchers: [severity("P3")], continue: false, muteTimings: ["acme-dashboard-only"] },
    { continue: false, muteTimings: ["acme-dashboard-only"] },
  ]);
});

test("a mute timing carries its IANA time zone to Grafana", async () => {
  const { resources } = await run;
  const nights = ofType(resources, "grafana:alerting/muteTiming:MuteTiming").find(
    (m) => m.inputs.name === "acme-nights",
  )!;
  assert.deepEqual(nights.inputs.intervals, [
    {
      weekdays: ["monday:friday"],
      times: [
        { start: "22:00", end: "24:00" },
        { start: "00:00", end: "07:00" },
      ],
      location: "Europe/Berlin",
    },
  ]);
});

test("each P0 rule has an escalated copy: its value query kept to the series whose history reaches back 30m, label escalation, the same pending period", async () => {
  const { resources } = await run;
  const rules = ofType(resources, "grafana:alerting/ruleGroup:RuleGroup").flatMap(
    (g) =>
      g.inputs.rules as Array<{
        name: string;
        uid: string;
        for: string;
        labels: Record<string, string>;
        datas: Array<{ refId: string; model: string }>;
        record?: unknown;
      }>,
  );
  const original = rules.find((r) => r.name === "ProbeDown (web/probe)")!;
  const copy = rules.find((r) => r.name === "ProbeDown (web/probe/escalation)")!;
  assert.equal(original.for, "1m");
  assert.equal(copy.for, "1m");
  assert.deepEqual(copy.labels, { ...original.labels, escalation: "30m" });
  const query = (r: typeof copy) => (JSON.parse(r.datas.find((d) => d.refId === "A")!.model) as { expr: string }).expr;
  const value = query(original);
  const down = value.replace(" < bool 1", " < 1");
  assert.equal(
    query(copy),
    `((${value}) and (count_over_time(count_over_time((${down})[4m30s:1m])[30m59s999ms:1m]) >= on () group_left () count_over_time(vector(1)[30m59s999ms:1m]))) or (${value}) * 0`,
  );
  assert.deepEqual(copy.datas.slice(1), original.datas.slice(1));
  assert.notEqual(copy.uid, original.uid);
  const p0 = rules.filter((r) => r.labels.severity === "P0" && r.record === undefined);
  assert.deepEqual(
    p0
      .filter((r) => !r.labels.escalation)
      .map((r) => r.name.replace(/\)$/, "/escalation)"))
      .sort(),
    p0
      .filter((r) => r.labels.escalation)
      .map((r) => r.name)
      .sort(),
  );
});
