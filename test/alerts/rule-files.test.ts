import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CatalogError } from "../../catalog/diagnostics";
import type { Catalog } from "../../catalog/model";
import { validateCatalog } from "../../catalog/validate";
import type { AlertRule, RecordingRule, RuleGroup } from "../../alerts/model";
import { ruleGroupsOf, renderArtifacts } from "../../artifacts";
import { grafanaTemplate } from "../../alerts/grafana-templates";
import { diffModels, monitoringModel } from "../../diff";
import { ruleWarnings } from "../../alerts/rule-warnings";
import { grafanaRuleGroups } from "../../infra/grafana/rule-groups";
import { grafanaFeatures } from "../../infra/grafana/versions";
import { runCli } from "../helpers/cli-in-process";

const base = {
  system: "acme",
  services: [
    { name: "web", kind: "api", team: "growth" },
    { name: "k8s", kind: "api", team: "platform" },
  ],
};
const catalogWith = (extra: Record<string, unknown> = {}): Catalog => validateCatalog({ ...base, ...extra });
const groupsOf = (catalog: Catalog, files: Record<string, string>): RuleGroup[] =>
  ruleGroupsOf(catalog, { customRules: files, profile: "prod" }).filter((g) => g.name.startsWith("acme-custom"));
const alertsOf = (groups: RuleGroup[]) =>
  groups.flatMap((g) => g.rules).filter((r): r is AlertRule => r.kind === "alert");
const problemsOf = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    if (e instanceof CatalogError) return e.diagnostics.map((d) => `${d.path}: ${d.message}`);
    throw e;
  }
  return assert.fail("accepted");
};

const KUBE = `groups:
  - name: kubernetes-storage
    rules:
      - alert: KubePersistentVolumeFillingUp
        expr: kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.03
        for: 1m
        labels: { severity: critical }
        annotations: { description: "only {{ $value | humanizePercentage }} free" }
      - alert: KubePersistentVolumeFillingUp
        expr: kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.15
        for: 1h
        labels: { severity: warning }
      - alert: KubeOwnedByWeb
        expr: up == 0
        labels: { severity: P1, service: web }
`;

test("a rule_files entry gives a published directory its service, team and severity mapping; a rule's own labels win", () => {
  const catalog = catalogWith({
    rule_files: [{ path: "kube/", service: "k8s", team: "storage", severity_map: { critical: "P1", warning: "P2" } }],
  });
  const alerts = alertsOf(groupsOf(catalog, { "acme/kube/storage.yaml": KUBE }));
  assert.deepEqual(
    alerts.map((a) => [a.id, a.labels.service, a.labels.team, a.labels.severity]),
    [
      ["k8s/custom/KubePersistentVolumeFillingUp/P1", "k8s", "storage", "P1"],
      ["k8s/custom/KubePersistentVolumeFillingUp/P2", "k8s", "storage", "P2"],
      ["web/custom/KubeOwnedByWeb", "web", "growth", "P1"],
    ],
  );
});

test("a file's own rule_files entry overrides its directory's field by field", () => {
  const catalog = catalogWith({
    rule_files: [
      { path: "kube", service: "k8s", severity_map: { critical: "P0", warning: "P2" } },
      { path: "kube/storage.yaml", service: "web", severity_map: { critical: "P1" } },
    ],
  });
  const [critical, warning] = alertsOf(groupsOf(catalog, { "kube/storage.yaml": KUBE }));
  assert.deepEqual([critical.labels.service, critical.labels.severity, warning.labels.severity], ["web", "P1", "P2"]);
});

test("an unmapped severity and an entry matching no file are refused, naming the file, rule and entry", () => {
  const catalog = catalogWith({
    rule_files: [
      { path: "kube", service: "k8s", severity_map: { critical: "P1" } },
      { path: "mixins", service: "k8s" },
    ],
  });
  assert.deepEqual(
    problemsOf(() => groupsOf(catalog, { "kube/storage.yaml": KUBE })),
    [
      'alerts/custom/kube/storage.yaml: groups[kubernetes-storage].rules[KubePersistentVolumeFillingUp].labels.severity: "warning" is not a severity (P0..P3, SEV1..SEV4 or critical|high|medium|low) and rule_files[kube].severity_map does not map it',
      'rule_files[mixins].path: "mixins" matches no hand-written rule file',
    ],
  );
});

test("Sloth's page and ticket alerts of one name map through sloth_severity to two rules with distinct ids", () => {
  const catalog = catalogWith({
    rule_files: [
      { path: "sloth", service: "web", severity_label: "sloth_severity", severity_map: { page: "P0", ticket: "P2" } },
    ],
  });
  const sloth = `groups:
  - name: sloth-slo-alerts-web-availability
    rules:
      - alert: WebHighErrorRate
        expr: max(slo:sli_error:ratio_rate5m{sloth_id="web-availability"} > (14.4 * 0.001)) without (sloth_window)
        labels: { severity: pageteam, sloth_severity: page }
      - alert: WebHighErrorRate
        expr: max(slo:sli_error:ratio_rate2h{sloth_id="web-availability"} > (3 * 0.001)) without (sloth_window)
        labels: { severity: slack, sloth_severity: ticket }
`;
  const alerts = alertsOf(groupsOf(catalog, { "sloth/web.yml": sloth }));
  assert.deepEqual(
    alerts.map((a) => [a.id, a.labels.severity, a.labels.sloth_severity]),
    [
      ["web/custom/WebHighErrorRate/P0", "P0", "page"],
      ["web/custom/WebHighErrorRate/P2", "P2", "ticket"],
    ],
  );
  assert.deepEqual(ruleWarnings(catalog, { "sloth/web.yml": sloth }), [
    {
      path: "alerts/custom/sloth/web.yml",
      message:
        "severity labels pageteam, slack are replaced by the severity rule_files[sloth].severity_map gives their sloth_severity",
    },
  ]);
});

test("keys Prometheus does not know are refused; limit and query_offset are refused with the reason", () => {
  const file = `groups:
  - name: g
    limit: 10
    query_offset: 1m
    partial_response_strategy: warn
    rules:
      - alert: A
        expr: up == 0
        keep_firing_fro: 5m
        labels: { severity: P2, service: web }
      - record: job:up:sum
        expr: sum by (job) (up)
        for: 5m
`;
  assert.deepEqual(
    problemsOf(() => groupsOf(catalogWith(), { "x.yml": file })),
    [
      'alerts/custom/x.yml: groups[g]: unknown key "partial_response_strategy": Prometheus refuses it too (group keys are name, interval, rules, labels, limit, query_offset)',
      "alerts/custom/x.yml: groups[g].limit: is not supported: Grafana-managed rule groups (the prod target) have no series limit, so prod would not enforce it",
      "alerts/custom/x.yml: groups[g].query_offset: is not supported: the Prometheus that runs `start` and `verify` (2.42) predates query_offset (2.53); shift the selectors with `offset` instead",
      'alerts/custom/x.yml: groups[g].rules[A]: unknown key "keep_firing_fro": Prometheus refuses it too (rule keys are record, alert, expr, for, keep_firing_for, labels, annotations)',
      "alerts/custom/x.yml: groups[g].rules[job:up:sum].for: is not allowed on a recording rule (Prometheus refuses it)",
    ],
  );
});

test("group interval and labels are honoured in both targets, keep_firing_for too from Grafana 12.0", () => {
  const file = `groups:
  - name: g
    interval: 30s
    labels: { tier: "1", service: web }
    rules:
      - alert: A
        expr: up == 0
        keep_firing_for: 10m
        labels: { severity: P2, tier: "2" }
`;
  const catalog = catalogWith();
  const groups = groupsOf(catalog, { "x.yml": file });
  const [alert] = alertsOf(groups);
  assert.deepEqual([groups[0].intervalMs, alert.labels.tier, alert.labels.service], [30_000, "2", "web"]);
  const rendered = renderArtifacts(catalog, { customRules: { "x.yml": file } })["prometheus/rules/acme-custom-g.yml"];
  assert.match(rendered, /interval: 30s\n/);
  assert.match(rendered, /keep_firing_for: 10m\n/);
  const [grafanaGroup] = grafanaRuleGroups(groups, { catalog, datasourceUid: "p", features: grafanaFeatures(catalog) });
  assert.deepEqual([grafanaGroup.intervalSeconds, grafanaGroup.rules[0].keepFiringFor], [30, "10m"]);
  const old = catalogWith({ grafana: { version: "11.6" } });
  assert.deepEqual(
    problemsOf(() => grafanaRuleGroups(groups, { catalog: old, datasourceUid: "p", features: grafanaFeatures(old) })),
    [
      "alerts/custom/x.yml: groups[g].rules[A].keep_firing_for: needs Grafana 12.0 or later (grafana.version is 11.6.0): older Grafana-managed rules have no keepFiringFor, so prod would resolve the alert earlier than Prometheus",
    ],
  );
});

test("two files with the same group name (ignoring case) both render, each group named after its file", () => {
  const rules = (n: string) =>
    `groups:\n  - name: node.rules\n    rules:\n      - record: ${n}\n        expr: sum(up)\n`;
  const catalog = catalogWith();
  const groups = groupsOf(catalog, {
    "a/x.yaml": rules("a:up:sum"),
    "b.yml": rules("b:up:sum").replace("node.rules", "Node.rules"),
  });
  assert.deepEqual(
    groups.map((g) => [g.name, (g.rules[0] as RecordingRule).record]),
    [
      ["acme-custom-a-x-node.rules", "a:up:sum"],
      ["acme-custom-b-Node.rules", "b:up:sum"],
    ],
  );
  assert.match(
    problemsOf(() => groupsOf(catalog, { "x.yml": `${rules("a:b")}  - name: node.rules\n    rules: []\n` }))[0],
    /group name "node.rules" is repeated in the same file/,
  );
});

test("recording rules of one name get distinct ids and Grafana titles of at most 190 characters", () => {
  const labels = Object.fromEntries(
    ["sloth_id", "sloth_service", "sloth_slo", "owner", "repo", "tier"].map((k) => [k, `a-rather-long-${k}-value`]),
  );
  const record = (window: string) =>
    `      - record: slo:sli_error:ratio_rate${window}\n        expr: sum(rate(errors[${window}]))\n        labels: ${JSON.stringify({ ...labels, sloth_window: window })}\n`;
  const file = `groups:\n  - name: sloth-slo-sli-recordings-web-availability-with-a-long-name\n    rules:\n${record("5m")}${record("5m").replace("errors", "failures")}`;
  const catalog = catalogWith();
  const groups = groupsOf(catalog, { "x.yml": file });
  const ids = groups[0].rules.map((r) => r.id);
  assert.equal(new Set(ids).size, 2);
  const titles = grafanaRuleGroups(groups, {
    catalog,
    datasourceUid: "p",
    features: grafanaFeatures(catalog),
  })[0].rules.map((r) => r.name);
  for (const t of titles) assert.ok(t.length <= 190, `${t.length}: ${t}`);
  assert.equal(new Set(titles).size, 2);
});

test("Grafana gets $value and .Value as the query's value and keeps everything else of a template", () => {
  assert.deepEqual(
    grafanaTemplate('{{ printf "%.2f" $value }}% of {{ $labels.instance }} ({{ .Value | humanize }})', "A"),
    {
      text: '{{ printf "%.2f" $values.A.Value }}% of {{ $labels.instance }} ({{ $values.A.Value | humanize }})',
      translated: true,
      unsupported: [],
    },
  );
  assert.deepEqual(
    grafanaTemplate('{{ with query "up" }}{{ . | first | value }}{{ end }} "$value" {{ "$value" }}', "A"),
    {
      text: '{{ with query "up" }}{{ . | first | value }}{{ end }} "$value" {{ "$value" }}',
      translated: false,
      unsupported: ["query (Grafana returns no series)"],
    },
  );
  assert.equal(grafanaTemplate("{{ range $i := .Labels }}{{ .Value }}{{ end }}", "A").translated, false);
});

test("a hand-written alert's annotations reach Grafana translated, and a template without equivalent is warned about by rule", () => {
  const catalog = catalogWith({
    rule_files: [{ path: "kube", service: "k8s", severity_map: { critical: "P1", warning: "P2" } }],
  });
  const groups = groupsOf(catalog, { "kube/storage.yaml": KUBE });
  const [rule] = grafanaRuleGroups(groups, { catalog, datasourceUid: "p", features: grafanaFeatures(catalog) })[0]
    .rules;
  assert.equal(rule.annotations.description, "only {{ $values.A.Value | humanizePercentage }} free");
  const withQuery = KUBE.replace("only {{", '{{ with query \\"up\\" }}{{ end }} only {{');
  assert.deepEqual(ruleWarnings(catalog, { "kube/storage.yaml": withQuery }), [
    {
      path: "alerts/custom/kube/storage.yaml: groups[kubernetes-storage].rules[KubePersistentVolumeFillingUp].annotations.description",
      message: "Grafana (prod) evaluates this template differently: query (Grafana returns no series)",
    },
    {
      path: "alerts/custom/kube/storage.yaml",
      message:
        "1 alert read $value (or .Value) in templates: Grafana's $value is the evaluation string, so prod sends them $values.A.Value, the same number",
    },
  ]);
});

test("the semantic diff names a keep_firing_for change of a hand-written rule", () => {
  const file = (keep: string) =>
    `groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        keep_firing_for: ${keep}\n        labels: { severity: P2, service: web }\n`;
  const catalog = catalogWith();
  assert.deepEqual(
    diffModels(monitoringModel(catalog, { "x.yml": file("5m") }), monitoringModel(catalog, { "x.yml": file("15m") })),
    ["alert web/custom/A P2: keep_firing_for 5m -> 15m"],
  );
});

test("verify refuses what plan refuses: keep_firing_for on Grafana 11.6 (exit 2), a 15s group interval Grafana cannot run (exit 1)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "rule-files-"));
  try {
    const catalogFile = join(dir, "catalog.yaml");
    writeFileSync(
      catalogFile,
      "system: acme\ngrafana: { url: https://acme.grafana.net, version: '11.6' }\nrunbooks: { base_url: https://wiki.acme.example }\nservices: [{ name: web, kind: api }]\n",
    );
    mkdirSync(join(dir, "alerts", "custom"), { recursive: true });
    const rules = join(dir, "alerts", "custom", "x.yml");
    writeFileSync(
      rules,
      "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        keep_firing_for: 10m\n        labels: { severity: P2, service: web }\n",
    );
    const message =
      "alerts/custom/x.yml: groups[g].rules[A].keep_firing_for: needs Grafana 12.0 or later (grafana.version is 11.6.0)";
    const verify = await runCli(["verify", "--catalog", catalogFile]);
    const plan = await runCli(["plan", "--catalog", catalogFile, "--stack", "prod"]);
    assert.deepEqual([verify.code, plan.code], [2, 2], verify.stdout + verify.stderr + plan.stderr);
    assert.ok(verify.stderr.includes(message) && plan.stderr.includes(message), verify.stderr + plan.stderr);

    writeFileSync(
      rules,
      "groups:\n  - name: g\n    interval: 15s\n    rules:\n      - alert: A\n        expr: up == 0\n        labels: { severity: P2, service: web }\n",
    );
    const verify15 = await runCli(["verify", "--catalog", catalogFile]);
    const plan15 = await runCli(["plan", "--catalog", catalogFile, "--stack", "prod"]);
    assert.deepEqual([verify15.code, plan15.code], [1, 1], verify15.stdout + plan15.stderr);
    for (const out of [verify15.stdout, plan15.stderr])
      assert.match(out, /acme-custom-g.*intervalSeconds must be a positive multiple of 10/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
