/**
 * Links an alert carries must work where it is read (Slack, email, PagerDuty): a relative
 * `runbook_url` or `dashboard_url` does not. Warned about in `render`/`verify`; the prod stack
 * refuses them (`infra/config.ts`).
 */
import type { Catalog } from "./model";
import type { Diagnostic } from "./diagnostics";

const ABSOLUTE = /^https?:\/\//;

/** Whether `url` is absolute (http or https). */
export function isAbsoluteUrl(url: string): boolean {
  return ABSOLUTE.test(url);
}

export const RELATIVE_RUNBOOKS =
  "alerts' runbook_url links are relative (docs/runbooks/…) and do not open from a notification; set runbooks.base_url or github.repository";
export const RELATIVE_DASHBOARDS =
  "alerts' dashboard_url links are relative (/d/…) and do not open from a notification; set grafana.url";

export function linkWarnings(catalog: Catalog): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!isAbsoluteUrl(catalog.runbookBaseUrl)) out.push({ path: "runbooks.base_url", message: RELATIVE_RUNBOOKS });
  if (catalog.grafanaUrl === undefined) out.push({ path: "grafana.url", message: RELATIVE_DASHBOARDS });
  for (const rule of catalog.rules) {
    for (const [field, url] of [
      ["runbook_url", rule.runbookUrl],
      ["dashboard_url", rule.dashboardUrl],
    ] as const) {
      if (url !== undefined && !isAbsoluteUrl(url))
        out.push({
          path: `rules[${rule.name}].${field}`,
          message: `"${url}" is relative and does not open from a notification; use an absolute URL`,
        });
    }
  }
  return out;
}
