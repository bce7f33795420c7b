import { test } from "node:test";
import assert from "node:assert/strict";
import { CatalogError } from "../../catalog/diagnostics";
import { validateCatalog } from "../../catalog/validate";

const base = {
  system: "shop",
  services: [
    { name: "web", kind: "frontend", team: "growth" },
    { name: "db", kind: "database" },
  ],
  external_apis: [{ name: "hunter", quota: 500, team: "data" }],
};
const contacts = {
  pd: { type: "pagerduty", integration_key: { secret: "pdKey" } },
  lead: { type: "email", to: ["lead@shop.example"] },
  finance: { type: "email", to: ["finance@shop.example"] },
};

function problems(alerting: Record<string, unknown>): string[] {
  try {
    validateCatalog({ ...base, alerting });
  } catch (e) {
    assert.ok(e instanceof CatalogError, String(e));
    return e.message
      .split("\n")
      .slice(1)
      .map((l) => l.trim());
  }
  return [];
}

test("escalation, policies and a mute timing location are read into the model", () => {
  const c = validateCatalog({
    ...base,
    alerting: {
      contacts,
      routes: { P0: ["pd"] },
      escalation: { critical: { after: "30m", to: ["lead"] }, P2: { after: "1d", to: ["lead", "finance"] } },
      policies: [
        { match: { signal: "budget" }, to: ["finance"] },
        { match: { team: "growth", service: "web" }, to: ["pd"] },
      ],
      mute_timings: [
        { name: "nights", times: [{ start: "22:00", end: "07:00" }], severities: ["P2"], location: "Europe/Berlin" },
      ],
    },
  });
  assert.deepEqual(c.alerting.escalations, [
    { severity: "P0", afterMs: 1_800_000, to: ["lead"] },
    { severity: "P2", afterMs: 86_400_000, to: ["lead", "finance"] },
  ]);
  assert.deepEqual(c.alerting.policies, [
    { match: { signal: "budget" }, to: ["finance"] },
    { match: { team: "growth", service: "web" }, to: ["pd"] },
  ]);
  assert.equal(c.alerting.muteTimings[0].location, "Europe/Berlin");
});

test("a catalog without the new keys has no escalations, no policies and UTC mute timings", () => {
  const c = validateCatalog({
    ...base,
    alerting: { contacts, mute_timings: [{ name: "w", weekdays: ["saturday"], severities: ["P3"] }] },
  });
  assert.deepEqual([c.alerting.escalations, c.alerting.policies], [[], []]);
  assert.equal(c.alerting.muteTimings[0].location, undefined);
});

test("escalation problems name the severity key and field", () => {
  assert.deepEqual(
    problems({
      contacts,
      escalation: {
        P9: { after: "30m", to: ["lead"] },
        P0: { after: "0s", to: ["boss"] },
        critical: { after: "soon", to: [] },
      },
    }),
    [
      "alerting.escalation.P0.after: must be longer than 0s",
      'alerting.escalation.P0.to[0]: contact "boss" is not defined under alerting.contacts (defined: pd, lead, finance)',
      'alerting.escalation.P9: "P9" is not a severity (P0..P3, SEV1..SEV4 or critical|high|medium|low)',
      "alerting.escalation.critical: escalates P0 twice (also as P0)",
      'alerting.escalation.critical.after: "soon" is not a duration like 30s, 5m, 1h, 30d',
      "alerting.escalation.critical.to: needs at least 1 item(s)",
    ],
  );
});

test("an escalation contact must not already be told by the severity's route (nor, as everywhere, be listed twice)", () => {
  assert.deepEqual(
    problems({
      contacts,
      routes: { critical: ["pd", "lead"] },
      escalation: { P0: { after: "30m", to: ["lead", "finance", "finance"] } },
      policies: [{ match: { team: "ops" }, to: ["pd", "pd"] }],
    }),
    [
      'alerting.escalation.P0.to[0]: "lead" already gets every P0 from alerting.routes; escalation must reach contacts that have not been told yet',
      'alerting.escalation.P0.to[2]: contact "finance" is listed twice; it would be notified twice',
      'alerting.policies[0].to[1]: contact "pd" is listed twice; it would be notified twice',
    ],
  );
});

test("policy problems name the policy and field: unknown service, team, signal or contact, empty match", () => {
  assert.deepEqual(
    problems({
      contacts,
      policies: [
        { match: { service: "checkout" }, to: ["finance"] },
        { match: { team: "sales" }, to: ["pager"] },
        { match: { signal: "money" }, to: ["finance"] },
        { match: {}, to: ["finance"] },
        { match: { owner: "x" }, to: ["finance"] },
      ],
    }),
    [
      'alerting.policies[0].match.service: "checkout" is not a service or external API of this catalog (known: budget, db, hunter, monitoring, web)',
      'alerting.policies[1].match.team: no alert has team "sales" (teams: data, growth, ops)',
      'alerting.policies[1].to[0]: contact "pager" is not defined under alerting.contacts (defined: pd, lead, finance)',
      'alerting.policies[2].match.signal: "money" is not one of availability | error_rate | latency | probe | heartbeat | saturation | quota | budget | tls | slo_burn | custom',
      "alerting.policies[3].match: needs at least one of signal, team, service",
      "alerting.policies[4].match: needs at least one of signal, team, service",
      "alerting.policies[4].match.owner: unknown field",
    ],
  );
});

test("a mute timing location must be an IANA zone spelled as Go loads it", () => {
  const timing = (location: string) => ({
    name: "n",
    times: [{ start: "22:00", end: "07:00" }],
    severities: ["P2"],
    location,
  });
  assert.deepEqual(
    problems({
      mute_timings: [
        timing("Europe/Berlin"),
        timing("UTC"),
        timing("europe/berlin"),
        timing("Mars/Olympus"),
        timing("Local"),
        timing("+01:00"),
      ],
    }),
    [
      'alerting.mute_timings[n].location: "europe/berlin" must be spelled Europe/Berlin (time zone names are case-sensitive)',
      'alerting.mute_timings[n].location: "Mars/Olympus" is not an IANA time zone like Europe/Berlin or UTC',
      'alerting.mute_timings[n].location: "Local" is not an IANA time zone like Europe/Berlin or UTC',
      'alerting.mute_timings[n].location: "+01:00" is not an IANA time zone like Europe/Berlin or UTC',
    ],
  );
});

test("an ack_timeout below 2s or with a fraction of a second is refused", () => {
  assert.deepEqual(problems({ ack_timeout: "1s" }), [
    'alerting.ack_timeout: "1s" must be whole seconds and at least 2s',
  ]);
  assert.deepEqual(problems({ ack_timeout: "2s500ms" }), [
    'alerting.ack_timeout: "2s500ms" must be whole seconds and at least 2s',
  ]);
  assert.deepEqual(problems({ ack_timeout: "2s" }), []);
});

test("objectives are read per severity, aliases included, in severity order", () => {
  const c = validateCatalog({
    ...base,
    alerting: { objectives: { high: { detect: "15m" }, SEV1: { detect: "5m", pages_per_week: 2 } } },
  });
  assert.deepEqual(c.alerting.objectives, [
    { severity: "P0", detectMs: 300_000, pagesPerWeek: 2 },
    { severity: "P1", detectMs: 900_000 },
  ]);
});

test("objectives name a key that is no severity, a severity set twice, a 0s detect, an empty objective and a negative page budget", () => {
  assert.deepEqual(
    problems({
      objectives: {
        P5: { detect: "5m" },
        P0: { detect: "0s" },
        critical: { pages_per_week: -1 },
        P2: {},
        P3: { detect: "soon" },
      },
    }),
    [
      "alerting.objectives.P0.detect: must be longer than 0s: no alert notifies at the instant an incident starts",
      "alerting.objectives.P2: needs detect, pages_per_week or both",
      'alerting.objectives.P3.detect: "soon" is not a duration like 30s, 5m, 1h, 30d',
      'alerting.objectives.P5: "P5" is not a severity (P0..P3, SEV1..SEV4 or critical|high|medium|low)',
      "alerting.objectives.critical: sets P0 twice (also as P0)",
      "alerting.objectives.critical.pages_per_week: -1 must be >= 0",
    ],
  );
});
