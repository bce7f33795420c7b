/**
 * Escalated copies in the rule model, proven with promtool: the generated test of each copy
 * makes it fire `after` later than its alert, and stay silent before.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderArtifacts, ruleGroupsOf, DEFAULT_RENDER_OPTIONS } from "../../artifacts";
import type { AlertRule, RuleGroup } from "../../alerts/model";
import { validateCatalog } from "../../catalog/validate";
import { writeArtifacts } from "../../write-artifacts";
import { renderRuleTests } from "../../alerts/rule-tests";
import { runChecks } from "../../verify/checks";
import { findBinary, runTool } from "../../verify/tools";

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

/** Runs the generated promtool tests on groups altered by `mutate`; returns the failure text, or "" when they pass. */
function ruleTestFailures(mutate: (groups: RuleGroup[]) => void = () => {}): string {
  const groups = ruleGroupsOf(catalog, DEFAULT_RENDER_OPTIONS);
  mutate(groups);
  const dir = mkdtempSync(join(tmpdir(), "escalation-test-"));
  try {
    const artifacts = renderArtifacts(catalog);
    writeArtifacts(dir, artifacts);
    const ruleFiles = Object.keys(artifacts).filter((p) => p.startsWith("prometheus/rules/"));
    const check = runChecks(dir, catalog, groups, ruleFiles).find((c) => c.name === "promtool test rules")!;
    return check.ok ? "" : check.detail;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs only the generated promtool tests of `groups`, in one promtool call; "" when they pass. */
function promtoolFailures(groups: RuleGroup[]): string {
  const promtool = findBinary("promtool");
  assert.ok(promtool, "promtool is not installed");
  const { files, tests } = renderRuleTests(groups);
  const dir = mkdtempSync(join(tmpdir(), "escalation-test-"));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const r = runTool(promtool, ["test", "rules", ...tests], dir);
    return r.ok ? "" : r.output;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

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
  assert.equal(ruleTestFailures(), "");
});

test("promtool catches a copy that would escalate as soon as the alert fires", () => {
  const failures = ruleTestFailures((groups) => {
    for (const r of alerts(groups)) if (r.id === "web/probe/escalation") r.forMs -= 30 * 60_000;
  });
  assert.match(failures, /web\/probe\/escalation is silent until/);
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
  assert.equal(promtoolFailures(groups), "");
});
