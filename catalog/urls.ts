/**
 * URLs of the catalog (health checks, scrape endpoints, webhooks, Grafana, runbooks, OTLP):
 * http or https only, and never with credentials in them — a password in a URL ends up in
 * `prometheus.yml`, alert texts, Synthetic Monitoring checks and PR diffs. Credentials go in
 * the secret slots of the field's section instead.
 */
import { z } from "zod";

/** Undefined when `value` is an absolute http(s) URL without credentials, else why not (never echoing a password). */
export function httpUrlError(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${JSON.stringify(value)} is not a valid URL`;
  }
  if (url.username !== "" || url.password !== "")
    return "contains credentials (user:password@), which would show in rendered files, alerts and diffs; use the section's secret slot instead (auth, password, bearer, or the whole URL as { secret: NAME } where allowed)";
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return `scheme ${JSON.stringify(url.protocol.slice(0, -1))} is not allowed; only http and https`;
  if (url.hostname === "") return `${JSON.stringify(value)} has no host`;
  if (/[\s{}]/.test(value)) return "contains whitespace or braces; percent-encode them";
  return undefined;
}

/** Zod type of an http(s) URL without credentials. */
export const httpUrl = z.string().superRefine((value, ctx) => {
  const err = httpUrlError(value);
  if (err) ctx.addIssue({ code: "custom", message: err, input: undefined });
});
