/**
 * Escalated copies in the rule model, proven with promtool: the generated test of each copy
 * makes it fire `after` later than its alert, and stay silent before.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ruleGroupsOf, DEFAULT_RENDER_OPTIONS } from "../../artifacts";
import type { AlertRule, RuleGroup } from "../../alerts/model";
import { validateCatalog } from "../../catalog/validate";
import { ruleTestFailures } from "../helpers/rule-tests";

const catalog = validateCatalog({
  system: "shop",
  services: [
    {
      name: "web",
      kind: "frontend",
      health: { url: "https://shop.example/health" },
      thresholds: { error_rate: { P0: "20%", P1: "5%" } },
      slos: [{ name: "availability", sli: "availability", objective: 99.9 }],
    },
  ],
  alerting: {
    routes: { P0: ["pager"] },
    escalation: { P0: { after: "30m", to: ["lead"] } },
    contacts: {
      pager: { type: "webhook", url: "https://pager.example/hook" },
      lead: { type: "email", to: ["lead@shop.example"] },
    },
  },
});

const alerts = (groups: RuleGroup[]) =>
  groups.flatMap((g) => g.rules).filter((r): r is AlertRule => r.kind === "alert");

test("every P0 alert, and only P0, gets an escalated copy with for + 30m and label escalation=30m", () => {
  const all = alerts(ruleGroupsOf(catalog, DEFAULT_RENDER_OPTIONS));
  const copies = all.filter((r) => r.labels.escalation !== undefined);
  assert.deepEqual(copies.map((r) => r.id).sort(), [
    "web/error_rate/P0/escalation",
    "web/probe/escalation",
    "web/slo/availability/page/escalation",
  ]);
  for (const copy of copies) {
    const original = all.find((r) => `${r.id}/escalation` === copy.id)!;
    assert.equal(copy.forMs, original.forMs + 30 * 60_000, copy.id);
    assert.equal(copy.expr, original.expr);
    assert.equal(copy.alert, original.alert, "same alertname, so one silence acknowledges both");
    assert.deepEqual(copy.labels, { ...original.labels, escalation: "30m" });
    assert.ok(copy.test, `${copy.id} has a generated promtool test`);
  }
});

test("promtool: each copy fires 30m after its alert would and is silent until then", () => {
  assert.equal(ruleTestFailures(ruleGroupsOf(catalog, DEFAULT_RENDER_OPTIONS)), "");
});

test("promtool catches a copy that would escalate as soon as the alert fires", () => {
  const groups = ruleGroupsOf(catalog, DEFAULT_RENDER_OPTIONS);
  for (const r of alerts(groups)) if (r.id === "web/probe/escalation") r.forMs -= 30 * 60_000;
  assert.match(
    ruleTestFailures(groups, ["web/probe/escalation"]),
    /web\/probe\/escalation fires at 31m, not one evaluation earlier/,
  );
});

test("promtool: a P1 escalation's copy of NotificationsFailing fires 30m after a contact starts failing for good", () => {
  const p1 = validateCatalog({
    system: "shop",
    services: [{ name: "web", kind: "frontend", health: { url: "https://shop.example/health" } }],
    alerting: {
      routes: { P1: ["pager"] },
      escalation: { P1: { after: "30m", to: ["lead"] } },
      contacts: {
        pager: { type: "webhook", url: "https://pager.example/hook" },
        lead: { type: "email", to: ["lead@shop.example"] },
      },
    },
  });
  const groups = ruleGroupsOf(p1, DEFAULT_RENDER_OPTIONS).filter((g) => g.service === "monitoring");
  assert.ok(alerts(groups).some((r) => r.id === "monitoring/notifications-failing/escalation"));
  assert.equal(ruleTestFailures(groups), "");
});
