/**
 * `alerting.contacts` → Grafana contact point inputs (no Pulumi). Secret values go only into
 * the provider's typed secret fields (`integrationKey`, `url`), never the free-form `settings`
 * map: Grafana returns secrets as `[REDACTED]` and only the typed fields are compared with what
 * was sent, so a secret does not show a change on every `up`. Fields Grafana fills with a
 * default are sent with that default. Notifiers carry no `uid`: the provider computes it and
 * refuses a set one; a contact point is identified by its name.
 */
import type { Catalog, Contact } from "../../catalog/model";
import type { SecretRef } from "../../catalog/schema";
import { contactPointName } from "../../conventions";

const TITLE =
  "[{{ .Status | toUpper }}] {{ .CommonLabels.severity }} {{ .CommonLabels.service }}: {{ .CommonAnnotations.summary }}";
const TEXT =
  "{{ range .Alerts }}{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}{{ if .Annotations.dashboard_url }}\nDashboard: {{ .Annotations.dashboard_url }}{{ end }}\n{{ end }}";
const PAGERDUTY_SEVERITY =
  '{{ if eq .CommonLabels.severity "P0" }}critical{{ else if eq .CommonLabels.severity "P1" }}error{{ else }}warning{{ end }}';

/** Inputs of one contact point; `S` is how a secret value is carried (a Pulumi secret output in the program). */
export interface ContactPointSpec<S> {
  contact: string;
  name: string;
  pagerduties?: Array<{ integrationKey: S; severity: string; summary: string; disableResolveMessage: boolean }>;
  slacks?: Array<{ url: S; recipient?: string; title: string; text: string; disableResolveMessage: boolean }>;
  emails?: Array<{
    addresses: string[];
    singleEmail: boolean;
    subject: string;
    message: string;
    disableResolveMessage: boolean;
  }>;
  webhooks?: Array<{ url: string | S; httpMethod: "POST"; disableResolveMessage: boolean }>;
}

function spec<S>(system: string, c: Contact, secret: (ref: SecretRef) => S): ContactPointSpec<S> {
  const base = { contact: c.name, name: contactPointName(system, c.name) };
  const common = { disableResolveMessage: false };
  switch (c.type) {
    case "pagerduty":
      return {
        ...base,
        pagerduties: [
          { ...common, integrationKey: secret(c.integrationKey), severity: PAGERDUTY_SEVERITY, summary: TITLE },
        ],
      };
    case "slack":
      return {
        ...base,
        slacks: [
          { ...common, url: secret(c.url), ...(c.channel ? { recipient: c.channel } : {}), title: TITLE, text: TEXT },
        ],
      };
    case "email":
      return {
        ...base,
        emails: [{ ...common, addresses: [...c.to], singleEmail: false, subject: TITLE, message: TEXT }],
      };
    case "webhook":
      return {
        ...base,
        webhooks: [{ ...common, url: typeof c.url === "string" ? c.url : secret(c.url), httpMethod: "POST" }],
      };
  }
}

/**
 * Warnings for the prod stack: an email contact's SMTP settings configure Alertmanager (local
 * mode) only; Grafana sends email through its own SMTP server.
 */
export function ignoredEmailSettings(catalog: Catalog): string[] {
  return catalog.alerting.contacts.flatMap((c) =>
    c.type === "email" && c.smtpKeys.length
      ? [
          `alerting.contacts.${c.name}: ${c.smtpKeys.join(", ")} have no effect in Grafana, which sends email through its own SMTP server (Grafana Cloud's, or [smtp] in grafana.ini); they apply to Alertmanager in local mode`,
        ]
      : [],
  );
}

/** One contact point per catalog contact, in catalog (name) order. */
export function contactPoints<S>(catalog: Catalog, secret: (ref: SecretRef) => S): Array<ContactPointSpec<S>> {
  return catalog.alerting.contacts.map((c) => spec(catalog.system, c, secret));
}
