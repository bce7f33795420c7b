/**
 * The user-visible contract, pinned by values written out by hand (not taken from the code's
 * constants, not regenerated): what `render` writes for an alert, and what `pulumi up` sends to
 * Grafana for a contact point, the notification policy and a Synthetic Monitoring check.
 * A change here is a change users see: update these literals on purpose.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { validateCatalog } from "../../catalog/validate";
import { contactPoints } from "../../infra/grafana/contact-points";
import { MOCK_PROBES, runProgramUnderMocks } from "../../infra/offline-engine";
import { BIN, ROOT } from "../helpers/catalogs";

const CATALOG = `
system: acme
services:
  - name: api
    kind: api
    team: core
    health: { url: "https://api.acme.example/health", every: 1m, timeout: 5s }
    thresholds:
      error_rate: { P1: "5%" }
alerting:
  routes: { P0: [pager], P1: [pager, mail], P2: [mail], P3: [] }
  contacts:
    pager: { type: pagerduty, integration_key: { secret: pagerdutyKey } }
    mail: { type: email, to: [ops@acme.example] }
`;
const raw = parse(CATALOG) as Record<string, unknown>;
/** The prod stack needs absolute alert links: the same catalog with both bases. */
const prodRaw = {
  ...raw,
  grafana: { url: "https://grafana.example.com" },
  runbooks: { base_url: "https://runbooks.acme.example" },
};

const SUBJECT =
  "[{{ .Status | toUpper }}] {{ .CommonLabels.severity }} {{ .CommonLabels.service }}: {{ .CommonAnnotations.summary }}";
const MESSAGE =
  "{{ range .Alerts }}{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}{{ if .Annotations.dashboard_url }}\nDashboard: {{ .Annotations.dashboard_url }}{{ end }}\n{{ end }}";

function withCatalogFile<T>(text: string, f: (path: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "contract-"));
  try {
    writeFileSync(join(dir, "catalog.yaml"), text);
    return f(join(dir, "catalog.yaml"), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("an error-rate threshold of 5% at P1 renders this exact Prometheus alert", () => {
  const rules = withCatalogFile(CATALOG, (catalog, dir) => {
    const r = spawnSync(BIN, ["render", "--catalog", catalog, "--out", join(dir, "out")], {
      cwd: ROOT,
      encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stderr);
    const file = parse(readFileSync(join(dir, "out/prometheus/rules/acme-alerts.yml"), "utf8")) as {
      groups: Array<{ rules: Array<{ alert?: string; record?: string; labels?: Record<string, string> }> }>;
    };
    return file.groups.flatMap((g) => g.rules);
  });
  const condition = "alert:ErrorRateHigh:condition_7e91d810051498d8";
  // Folded (alerts/fold.ts): one alerting rule for every api whose texts differ only by its name,
  // reading a recording rule of each one's condition.
  assert.deepEqual(
    rules.find((x) => x.alert === "ErrorRateHigh"),
    {
      alert: "ErrorRateHigh",
      // Suppressed while a P0 alert or the ProbeDown of its service holds: the clause Grafana runs inline.
      expr: `${condition} unless on(service) (alert:suppressing_condition:held{severity="P0"} or alert:suppressing_condition:held{alert="ProbeDown"})`,
      for: "5m",
      labels: {
        service: "{{ $labels.service }}",
        severity: "P1",
        signal: "error_rate",
        team: "{{ $labels.team }}",
        alert: "ErrorRateHigh",
      },
      annotations: {
        summary: "{{ $labels.service }} error rate above 5%",
        description: "{{ $labels.service }} ({{ $labels.service }}) error rate above 5% for 5m.",
        runbook_url: "docs/runbooks/error-rate.md",
        dashboard_url: "/d/acme-service/acme-service-red?var-service={{ $labels.service }}&viewPanel=6",
      },
    },
  );
  assert.deepEqual(
    rules.filter((x) => x.record === condition),
    [
      {
        record: condition,
        expr: 'service:errors:ratio_rate5m{service="api"} > 0.05',
        labels: { service: "api", team: "core" },
      },
    ],
  );
  assert.deepEqual(
    rules.find((x) => x.labels?.alert_id === "api/probe"),
    {
      record: "alert:suppressing_condition:held",
      // ProbeDown (P0, for 1m) held for its whole `for`: the moment it fires.
      expr: '(min_over_time((count(max(last_over_time(probe_success{job="api-health"}[5m])) < 1) or vector(0))[1m:1m]) > 0)',
      labels: { alert_id: "api/probe", service: "api", severity: "P0", alert: "ProbeDown" },
    },
  );
});

test("an email contact becomes this Grafana contact point, named from the catalog, with no notifier uid", async () => {
  const { resources } = await runProgramUnderMocks(prodRaw, "prod");
  const mail = resources.find(
    (r) => r.type === "grafana:alerting/contactPoint:ContactPoint" && r.name === "acme-contact-mail",
  );
  assert.deepEqual(mail?.inputs, {
    name: "acme-mail",
    emails: [
      {
        addresses: ["ops@acme.example"],
        disableResolveMessage: false,
        message: MESSAGE,
        singleEmail: false,
        subject: SUBJECT,
      },
    ],
  });
});

test("a PagerDuty contact sends its key only in the typed secret field, with severity mapped from P0..P3", () => {
  const [, pager] = contactPoints(validateCatalog(raw), (ref) => `secret:${ref.secret}`);
  assert.deepEqual(pager, {
    contact: "pager",
    name: "acme-pager",
    pagerduties: [
      {
        integrationKey: "secret:pagerdutyKey",
        severity:
          '{{ if eq .CommonLabels.severity "P0" }}critical{{ else if eq .CommonLabels.severity "P1" }}error{{ else }}warning{{ end }}',
        summary: SUBJECT,
        disableResolveMessage: false,
      },
    ],
  });
});

test("routes per severity become this notification policy tree", async () => {
  const { resources } = await runProgramUnderMocks(prodRaw, "prod");
  const policy = resources.find((r) => r.type === "grafana:alerting/notificationPolicy:NotificationPolicy");
  const severity = (s: string) => [{ label: "severity", match: "=", value: s }];
  assert.deepEqual(policy?.inputs, {
    contactPoint: "acme-mail",
    groupBies: ["alert", "service", "severity"],
    groupWait: "30s",
    groupInterval: "5m",
    repeatInterval: "4h",
    policies: [
      {
        matchers: [{ label: "alert", match: "=", value: "Watchdog" }],
        continue: false,
        groupWait: "0s",
        groupInterval: "1m",
        repeatInterval: "5m",
        muteTimings: ["acme-dashboard-only"],
      },
      {
        matchers: severity("P0"),
        continue: false,
        groupInterval: "2m30s",
        repeatInterval: "3m45s",
        policies: [{ contactPoint: "acme-pager", continue: true }],
      },
      {
        matchers: severity("P1"),
        continue: false,
        groupInterval: "2m30s",
        repeatInterval: "3m45s",
        policies: [
          { contactPoint: "acme-mail", continue: true },
          { contactPoint: "acme-pager", continue: true },
        ],
      },
      { matchers: severity("P2"), continue: false, policies: [{ contactPoint: "acme-mail", continue: true }] },
      { matchers: severity("P3"), continue: false, muteTimings: ["acme-dashboard-only"] },
      { continue: false, muteTimings: ["acme-dashboard-only"] },
    ],
  });
});

test("a health check becomes this Synthetic Monitoring check: 1m in ms, three default probes, HTTPS required", async () => {
  const { resources } = await runProgramUnderMocks(prodRaw, "prod");
  const check = resources.find((r) => r.type === "grafana:syntheticMonitoring/check:Check");
  assert.deepEqual(check?.inputs, {
    job: "api-health",
    target: "https://api.acme.example/health",
    enabled: true,
    frequency: 60000,
    timeout: 5000,
    alertSensitivity: "none",
    basicMetricsOnly: true,
    probes: [MOCK_PROBES.Frankfurt, MOCK_PROBES.NorthVirginia, MOCK_PROBES.Singapore].sort((a, b) => a - b), // the ids the offline engine gives these locations
    settings: {
      http: { failIfNotSsl: true, ipVersion: "V4", method: "GET", noFollowRedirects: false, validStatusCodes: [200] },
    },
  });
});

test("in prod an email contact's SMTP settings are reported as without effect", () => {
  const text = `grafana: { url: "https://grafana.example.com" }\nrunbooks: { base_url: "https://runbooks.acme.example" }${CATALOG}    smtp: { type: email, to: [ops@acme.example], smarthost: "smtp.example.com:587", username: alerts, password: { secret: smtpPassword } }\n`;
  const r = withCatalogFile(text, (catalog) =>
    spawnSync(BIN, ["plan", "--catalog", catalog, "--stack", "prod"], { cwd: ROOT, encoding: "utf8" }),
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stderr,
    /alerting\.contacts\.smtp: smarthost, username, password have no effect in Grafana, which sends email through its own SMTP server/,
  );
});

test("the prod stack runs without the SMTP password in its config", async () => {
  const contacts = {
    ...(raw.alerting as { contacts: object }).contacts,
    smtp: { type: "email", to: ["ops@acme.example"], password: { secret: "smtpPassword" } },
  };
  const run = await runProgramUnderMocks({ ...prodRaw, alerting: { ...(raw.alerting as object), contacts } }, "prod", {
    config: { "ops-monitoring:smtpPassword": null },
  });
  const smtp = run.resources.find((r) => r.name === "acme-contact-smtp");
  assert.deepEqual(smtp?.inputs.emails, [
    {
      addresses: ["ops@acme.example"],
      disableResolveMessage: false,
      message: MESSAGE,
      singleEmail: false,
      subject: SUBJECT,
    },
  ]);
});
