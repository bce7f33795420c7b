import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadCatalogFile } from "../../catalog/load";
import { validateCatalog } from "../../catalog/validate";
import { ruleGroupsOf } from "../../artifacts";
import { contactPointName, GRAFANA_DEFAULT_CONTACT_POINT } from "../../conventions";
import { contactPoints } from "../../infra/grafana/contact-points";
import { muteTimings, notificationPolicy, type Policy } from "../../infra/grafana/routing";
import { GOOD } from "../helpers/catalogs";

const catalog = loadCatalogFile(join(GOOD, "all-kinds", "catalog.yaml"));
const rules = ruleGroupsOf(catalog, { customRules: {}, profile: "prod" });
const policy = notificationPolicy(catalog, rules);
const severity = (s: string): Policy =>
  policy.policies.find((p) => p.matchers?.[0].label === "severity" && p.matchers[0].value === s)!;

test("one policy per severity matches the severity label and fans out to each contact with continue", () => {
  for (const s of ["P0", "P1", "P2"] as const) {
    const p = severity(s);
    assert.equal(p.continue, false);
    assert.deepEqual(
      p.policies?.map((c) => [c.contactPoint, c.continue]),
      catalog.alerting.routes[s].map((c) => [contactPointName("acme", c), true]),
    );
  }
});

test("P0 and P1 re-notify exactly ack_timeout (5m) after the last notification: a tick every 2m30s, repeat due half a tick earlier", () => {
  for (const s of ["P0", "P1"])
    assert.deepEqual([severity(s).groupInterval, severity(s).repeatInterval], ["2m30s", "3m45s"]);
  assert.deepEqual([severity("P2").groupInterval, severity("P2").repeatInterval], [undefined, undefined]);
  assert.equal(policy.repeatInterval, "4h");
  assert.deepEqual([policy.groupWait, policy.groupInterval], ["30s", "5m"]);
  assert.deepEqual(policy.groupBies, ["alert", "service"], "the catalog's alertname is read as alert in both targets");
});

test("a severity with no contacts is muted at all times instead of notifying the root contact", () => {
  const p3 = severity("P3");
  assert.equal(p3.policies, undefined);
  assert.deepEqual(p3.muteTimings, ["acme-dashboard-only"]);
  const always = muteTimings(catalog).find((m) => m.key === "dashboard-only")!;
  assert.deepEqual(always.intervals, [{ weekdays: ["sunday:saturday"] }]);
});

test("the Watchdog goes first to its own contact with a fast repeat", () => {
  const [first] = policy.policies;
  assert.deepEqual(first.matchers, [{ label: "alert", match: "=", value: "Watchdog" }]);
  assert.equal(first.contactPoint, "acme-hook");
  assert.deepEqual([first.groupWait, first.groupInterval, first.repeatInterval], ["0s", "1m", "5m"]);
});

test("catalog mute timings are split at midnight and referenced by the policies of their severities", () => {
  const nights = muteTimings(catalog).find((m) => m.key === "nights")!;
  assert.equal(nights.name, "acme-nights");
  assert.deepEqual(nights.intervals, [
    {
      times: [
        { start: "22:00", end: "24:00" },
        { start: "00:00", end: "07:00" },
      ],
    },
  ]);
  const muted = validateCatalog({
    system: "acme",
    alerting: {
      routes: { P2: ["email"] },
      contacts: { email: { type: "email", to: ["ops@acme.example"] } },
      mute_timings: [{ name: "weekends", weekdays: ["Saturday", "sunday"], severities: ["P2"] }],
    },
  });
  const p2 = notificationPolicy(muted, []).policies.find((p) => p.matchers?.[0].value === "P2")!;
  assert.deepEqual(p2.policies, [{ contactPoint: "acme-email", continue: true, muteTimings: ["acme-weekends"] }]);
  assert.deepEqual(muteTimings(muted).find((m) => m.key === "weekends")!.intervals, [
    { weekdays: ["saturday", "sunday"] },
  ]);
});

test("alerts no policy matches (no severity) reach nobody, as Alertmanager's dashboard-only root: a last catch-all policy muted at all times", () => {
  assert.deepEqual(policy.policies.at(-1), { continue: false, muteTimings: ["acme-dashboard-only"] });
  const bare = validateCatalog({ system: "bare" });
  const barePolicy = notificationPolicy(bare, []);
  assert.equal(
    barePolicy.contactPoint,
    GRAFANA_DEFAULT_CONTACT_POINT,
    "the root needs a contact point; nothing reaches it",
  );
  assert.deepEqual(barePolicy.policies.at(-1), { continue: false, muteTimings: ["bare-dashboard-only"] });
  assert.ok(muteTimings(bare).some((m) => m.key === "dashboard-only"));
});

test("contact points are named from the catalog, set no notifier uid, keep secrets only in typed secret fields, and send Grafana's defaults", () => {
  const specs = contactPoints(catalog, (ref) => `<${ref.secret}>`);
  assert.deepEqual(
    specs.map((s) => s.name),
    ["acme-email", "acme-hook", "acme-pagerduty", "acme-slack"],
  );
  const [email, hook, pagerduty, slack] = specs;
  for (const s of specs) {
    const integrations = [...(s.emails ?? []), ...(s.webhooks ?? []), ...(s.pagerduties ?? []), ...(s.slacks ?? [])];
    assert.equal(integrations.length, 1);
    assert.ok(!("uid" in integrations[0]), "the provider computes notifier uids");
    assert.equal(integrations[0].disableResolveMessage, false);
    assert.ok(!("settings" in integrations[0]), "no free-form settings map");
  }
  assert.equal(pagerduty.pagerduties![0].integrationKey, "<pagerdutyKey>");
  assert.equal(slack.slacks![0].url, "<slackWebhookUrl>");
  assert.equal(slack.slacks![0].recipient, "#alerts");
  assert.deepEqual(email.emails![0].addresses, ["ops@acme.example"]);
  assert.equal(hook.webhooks![0].url, "https://example.com/alerts");
  assert.ok(!JSON.stringify(specs).includes("<smtpPassword>"), "SMTP is Grafana's own; the password is not sent");
});
