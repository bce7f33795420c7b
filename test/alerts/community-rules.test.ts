/**
 * Published rule files (kube-prometheus manifests with the kubernetes and node-exporter mixins,
 * awesome-prometheus-alerts, Sloth output; test/fixtures/community/SOURCE.md) used as written:
 * every rule goes through render, verify and plan, nothing is lost, and what changes is named.
 * The input is counted and read with the YAML parser alone, not with the project's reader.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { parse } from "yaml";
import { loadCatalogFile } from "../../catalog/load";
import { parseDuration } from "../../catalog/units";
import { readCustomRules } from "../../alerts/custom-files";
import { ruleWarnings } from "../../alerts/rule-warnings";
import type { AlertRule, Rule } from "../../alerts/model";
import { renderArtifacts, ruleGroupsOf } from "../../artifacts";
import { runCli } from "../helpers/cli-in-process";
import { ROOT } from "../helpers/catalogs";

const DIR = join(ROOT, "test", "fixtures", "community");
const CATALOG = join(DIR, "catalog.yaml");
const catalog = loadCatalogFile(CATALOG);
const files = readCustomRules(join(DIR, "alerts", "custom"), catalog.system);

interface InRule {
  file: string;
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, unknown>;
  annotations?: Record<string, string>;
}
type Doc = { groups: Array<{ name: string; rules: InRule[] }> };
const input: InRule[] = Object.entries(files).flatMap(([file, text]) => {
  const doc = parse(text) as Doc & { kind?: string; spec?: Doc };
  return (doc.kind === "PrometheusRule" ? doc.spec! : doc).groups.flatMap((g) => g.rules.map((r) => ({ ...r, file })));
});
const inAlerts = input.filter((r) => r.alert !== undefined);
const inRecords = input.filter((r) => r.record !== undefined);

const custom = ruleGroupsOf(catalog, { customRules: files, profile: "prod" })
  .filter((g) => g.service === "custom")
  .flatMap((g) => g.rules);
const isAlert = (r: Rule): r is AlertRule => r.kind === "alert";

/** The catalog's mapping of a rule's severity, read from the catalog text by hand. */
const SEVERITY: Record<string, Record<string, string>> = {
  "community/kube-prometheus/": { critical: "P1", warning: "P2", info: "P3", none: "P3" },
  "community/awesome-prometheus-alerts/postgresql": { critical: "P0", warning: "P2", info: "P3" },
  "community/awesome-prometheus-alerts/": { critical: "P1", warning: "P2", info: "P3" },
  "community/sloth/": { page: "P0", ticket: "P2" },
};
const expectedSeverity = (r: InRule): string => {
  const map = Object.entries(SEVERITY).find(([prefix]) => r.file.startsWith(prefix))![1];
  const labels = r.labels ?? {};
  return map[String(r.file.startsWith("community/sloth/") ? labels.sloth_severity : labels.severity)];
};

test("the community fixture holds at least 200 alerts and 100 recording rules from published projects", () => {
  assert.ok(inAlerts.length >= 200, `${inAlerts.length} alerts`);
  assert.ok(inRecords.length >= 100, `${inRecords.length} recording rules`);
});

test("every published rule reaches the rule model once, its expression, for, labels and annotations as written", () => {
  const alerts = custom.filter(isAlert);
  const records = custom.filter((r) => r.kind === "record");
  assert.deepEqual([alerts.length, records.length], [inAlerts.length, inRecords.length]);
  const unmatched = [...custom];
  for (const r of input) {
    const i = unmatched.findIndex((m) =>
      isAlert(m)
        ? m.alert === r.alert && m.expr === r.expr && m.labels.severity === expectedSeverity(r)
        : m.record === r.record && m.expr === r.expr,
    );
    assert.ok(i >= 0, `${r.file}: ${r.alert ?? r.record} is missing or changed`);
    const m = unmatched.splice(i, 1)[0];
    for (const [k, v] of Object.entries(r.labels ?? {}))
      if (k !== "severity") assert.equal(m.labels[k], String(v), `${r.file}: ${r.alert ?? r.record} label ${k}`);
    if (isAlert(m)) {
      for (const [k, v] of Object.entries(r.annotations ?? {})) assert.equal(m.annotations[k], v);
      assert.equal(m.forMs, parseDuration(r.for ?? "0s"), `${r.file}: ${r.alert} for`);
    }
  }
  assert.deepEqual(unmatched, []);
});

test("every published rule is in the rendered Prometheus rule files, with the catalog severity its mapping gives", () => {
  const artifacts = renderArtifacts(catalog, { customRules: files });
  const rendered = Object.keys(artifacts)
    .filter((p) => p.startsWith("prometheus/rules/community-custom-"))
    .flatMap((p) => (parse(artifacts[p]) as Doc).groups.flatMap((g) => g.rules));
  const key = (r: { alert?: string; record?: string; expr: string; for?: string }) =>
    JSON.stringify([r.alert ?? r.record, r.expr, parseDuration(r.for ?? "0s")]);
  assert.deepEqual(rendered.map(key).sort(), input.map(key).sort());
  const severities = rendered.filter((r) => r.alert).map((r) => r.labels?.severity);
  assert.deepEqual(severities.sort(), inAlerts.map(expectedSeverity).sort());
});

test("every difference Grafana makes is named: $value translations per file, query by rule, Sloth's replaced severities", () => {
  const lines = ruleWarnings(catalog, files).map((w) => `${w.path}: ${w.message}`);
  assert.ok(
    lines.includes(
      "alerts/custom/community/kube-prometheus/prometheus-prometheusRule.yaml: groups[prometheus].rules[PrometheusRemoteWriteDesiredShards].annotations.description: Grafana (prod) evaluates this template differently: query (Grafana returns no series)",
    ),
    lines.join("\n"),
  );
  for (const file of ["getting-started.yml", "home-wifi.yml", "kubernetes-apiserver.yml"])
    assert.ok(lines.some((l) => l.startsWith(`alerts/custom/community/sloth/${file}: severity labels `)));
  const withValue = new Set(
    inAlerts
      .filter((r) => Object.values(r.annotations ?? {}).some((t) => /\$value\b(?!s)|\.Value\b/.test(t)))
      .map((r) => r.file),
  );
  for (const file of withValue)
    assert.ok(
      lines.some((l) => l.startsWith(`alerts/custom/${file}: `) && l.includes("$values.A.Value")),
      `${file} reads $value but no warning names it`,
    );
});

test("verify passes the community rules with the real promtool, and plan sends every rule to Grafana within its limits", async () => {
  const verify = await runCli(["verify", "--catalog", CATALOG]);
  assert.equal(verify.code, 0, verify.stdout);
  assert.match(verify.stdout, /ok {3}promtool check rules/);
  assert.match(verify.stdout, /ok {3}grafana rule groups \(provider facts\)/);

  const plan = await runCli(["plan", "--catalog", CATALOG, "--stack", "prod", "--json"]);
  assert.equal(plan.code, 0, plan.stderr);
  const { resources } = JSON.parse(plan.stdout) as {
    resources: Array<{
      type: string;
      inputs: { name: string; intervalSeconds: number; rules: Array<Record<string, unknown>> };
    }>;
  };
  const availability = resources.find((r) => r.inputs.name === "community-custom-kube-apiserver-availability.rules");
  assert.equal(availability?.inputs.intervalSeconds, 180, "the group's interval: 3m is kept");
  const rules = resources
    .filter((r) => r.type === "grafana:alerting/ruleGroup:RuleGroup" && r.inputs.name.startsWith("community-custom-"))
    .flatMap((g) => g.inputs.rules);
  const records = rules.filter((r) => r.record !== undefined);
  assert.deepEqual([rules.length - records.length, records.length], [inAlerts.length, inRecords.length]);
  for (const r of rules) assert.ok((r.name as string).length <= 190, r.name as string);
  assert.equal(new Set(rules.map((r) => r.uid)).size, rules.length);
  const texts = rules.flatMap((r) => Object.values((r.annotations ?? {}) as Record<string, string>));
  assert.deepEqual(
    texts.filter((t) => /\$value\b(?!s)/.test(t)),
    [],
    "Grafana reads $value as a string: no annotation may use it",
  );
});
