/**
 * Escalated copies in the rule model, proven with promtool: the generated test of each copy
 * makes it fire `after` after its alert first fires, also when the condition was clear for a
 * while in between (shorter than the dip tolerance), and stay silent before.
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

test("every P0 alert, and only P0, gets an escalated copy: its own for, label escalation=30m, its condition kept only where it reaches back 30m", () => {
  const all = alerts(ruleGroupsOf(catalog, DEFAULT_RENDER_OPTIONS));
  const copies = all.filter((r) => r.labels.escalation !== undefined);
  assert.deepEqual(copies.map((r) => r.id).sort(), [
    "web/error_rate/P0/escalation",
    "web/probe/escalation",
    "web/slo/availability/page/escalation",
  ]);
  for (const copy of copies) {
    const original = all.find((r) => `${r.id}/escalation` === copy.id)!;
    assert.equal(copy.forMs, original.forMs, copy.id);
    assert.ok(copy.expr.startsWith(`(${original.expr}) and (count_over_time(`), copy.id);
    assert.equal(copy.alert, original.alert, "same alert name, so one silence acknowledges both");
    assert.deepEqual(copy.labels, { ...original.labels, escalation: "30m" });
    assert.ok(copy.test?.(), `${copy.id} has a generated promtool test`);
  }
  const probe = copies.find((r) => r.id === "web/probe/escalation")!;
  const down = 'max(last_over_time(probe_success{job="web-health"}[5m])) < 1';
  const history =
    `(count_over_time(count_over_time((${down})[4m30s:1m])[30m59s999ms:1m])` +
    " >= on () group_left () count_over_time(vector(1)[30m59s999ms:1m]))";
  assert.equal(probe.expr, `(${down}) and ${history}`);
  const value = 'max(last_over_time(probe_success{job="web-health"}[5m])) < bool 1';
  assert.equal(probe.holdWhileMissing!.valueExpr, `((${value}) and ${history}) or (${value}) * 0`);
});

test("promtool: each copy fires 30m after its alert first fires, also after a 4m dip, and is silent until then", () => {
  assert.equal(ruleTestFailures(ruleGroupsOf(catalog, DEFAULT_RENDER_OPTIONS)), "");
});

test("promtool catches a copy that escalates as soon as the alert fires", () => {
  const groups = ruleGroupsOf(catalog, DEFAULT_RENDER_OPTIONS);
  const original = alerts(groups).find((r) => r.id === "web/probe")!;
  for (const r of alerts(groups)) if (r.id === "web/probe/escalation") r.expr = original.expr;
  assert.match(
    ruleTestFailures(groups, ["web/probe/escalation"]),
    /web\/probe\/escalation fires at 31m, not one evaluation earlier/,
  );
});

test("promtool catches a copy whose countdown restarts when the condition dips (for lengthened by after)", () => {
  const groups = ruleGroupsOf(catalog, DEFAULT_RENDER_OPTIONS);
  const original = alerts(groups).find((r) => r.id === "web/probe")!;
  for (const r of alerts(groups))
    if (r.id === "web/probe/escalation") {
      r.expr = original.expr;
      r.forMs = original.forMs + 30 * 60_000;
    }
  const failures = ruleTestFailures(groups, ["web/probe/escalation"]);
  assert.match(failures, /web\/probe\/escalation fires at 31m after its condition was clear for 4m from 2m/);
  assert.doesNotMatch(failures, /fires at 31m, not one evaluation earlier/);
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
