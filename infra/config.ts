/**
 * Stack settings: everything the Pulumi program reads from stack config besides the catalog,
 * read and checked all at once before any resource exists. One `StackConfigError` lists every
 * missing or non-secret key with the `pulumi config set` command that fixes it.
 */
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import type { Catalog } from "../catalog/model";
import { githubActionsSpecs, secretConfigKeys } from "../env/github-actions";
import { isAbsoluteUrl } from "../catalog/link-warnings";
import { GRAFANA_URL_CONFIG_KEY } from "../catalog/load";

/** The Pulumi project (`Pulumi.yaml` name): namespace of the catalog and of catalog secrets. */
export const PROJECT = "ops-monitoring";

/** Stack config keys the program reads (besides the catalog and the catalog's secrets). */
export const CONFIG_KEY = {
  catalog: `${PROJECT}:catalog`,
  grafanaUrl: GRAFANA_URL_CONFIG_KEY,
  grafanaAuth: "grafana:auth",
  smUrl: "grafana:smUrl",
  smAccessToken: "grafana:smAccessToken",
  prometheusDatasourceUid: `${PROJECT}:prometheusDatasourceUid`,
} as const;

/** Stack config key of a catalog `{ secret: NAME }`: `pulumi config set --secret NAME` sets `ops-monitoring:NAME`. */
export function catalogSecretKey(name: string): string {
  return `${PROJECT}:${name}`;
}

/** What a stack provisions: `local` runs containers, every other stack name targets Grafana Cloud, Vercel and GitHub. */
export type Target = "prod" | "local";

export function targetOf(stack: string): Target {
  return stack === "local" ? "local" : "prod";
}

/** Where config values come from: the Pulumi runtime in a real run or under mocks, a map in unit tests. */
export interface ConfigSource {
  get: (key: string) => string | undefined;
  isSecret: (key: string) => boolean;
}

/** The Pulumi runtime's stack config (`PULUMI_CONFIG`, `PULUMI_CONFIG_SECRET_KEYS`), read once. */
export function pulumiConfigSource(): ConfigSource {
  // isConfigSecret is exported by the runtime but missing from its type declarations.
  const isConfigSecret = (runtimeConfig as unknown as { isConfigSecret(this: void, k: string): boolean })
    .isConfigSecret;
  const all = runtimeConfig.allConfig();
  return { get: (key) => all[key], isSecret: (key) => isConfigSecret(key) };
}

export interface GrafanaSettings {
  /** Base URL of the Grafana instance, without trailing slash. */
  url: string;
  /** Uid of the Prometheus data source rules query and recording rules write to. */
  prometheusDatasourceUid: string;
  /** Whether the catalog has synthetic checks (Synthetic Monitoring is configured then). */
  syntheticMonitoring: boolean;
}

export interface StackSettings {
  stack: string;
  target: Target;
  /** Present for `prod` targets. */
  grafana?: GrafanaSettings;
  /** Catalog secret names, every one configured as a Pulumi secret. */
  secrets: string[];
}

/** The catalog as Grafana sees it: email contacts without their SMTP password (Grafana sends email through its own SMTP). */
function withoutSmtpPasswords(catalog: Catalog): Catalog {
  const contacts = catalog.alerting.contacts.map((c) => (c.type === "email" ? { ...c, password: undefined } : c));
  return { ...catalog, alerting: { ...catalog.alerting, contacts } };
}

export class StackConfigError extends Error {
  constructor(
    readonly problems: string[],
    readonly stackName: string,
  ) {
    super(
      [
        `stack ${stackName}: ${problems.length} configuration problem${problems.length === 1 ? "" : "s"}`,
        ...problems.map((p) => `  ${p}`),
      ].join("\n"),
    );
    this.name = "StackConfigError";
  }
}

const setSecret = (key: string) =>
  `pulumi config set --secret ${key.startsWith(`${PROJECT}:`) ? key.slice(PROJECT.length + 1) : key} <value>`;
const setPlain = (key: string, example: string) =>
  `pulumi config set ${key.startsWith(`${PROJECT}:`) ? key.slice(PROJECT.length + 1) : key} ${example}`;

/**
 * Reads and checks the stack settings for `catalog` on stack `stack`; throws one
 * `StackConfigError` naming every problem.
 */
export function readStackSettings(
  catalog: Catalog,
  stack: string,
  source: ConfigSource = pulumiConfigSource(),
): StackSettings {
  const target = targetOf(stack);
  const problems: string[] = [];
  const requirePlain = (key: string, example: string, why: string): string | undefined => {
    const value = source.get(key);
    if (value === undefined || value === "")
      problems.push(`${key} is not set (${why}): run \`${setPlain(key, example)}\``);
    return value || undefined;
  };
  const requireSecret = (key: string, why: string): void => {
    const value = source.get(key);
    if (value === undefined || value === "") problems.push(`${key} is not set (${why}): run \`${setSecret(key)}\``);
    else if (!source.isSecret(key))
      problems.push(`${key} is set in plain text but must be a secret (${why}): run \`${setSecret(key)}\``);
  };

  let grafana: GrafanaSettings | undefined;
  if (target === "prod") {
    const url = requirePlain(
      CONFIG_KEY.grafanaUrl,
      catalog.grafanaUrl ?? "https://<stack>.grafana.net",
      "the Grafana instance to provision",
    );
    requireSecret(CONFIG_KEY.grafanaAuth, "a Grafana service account token with the Admin role");
    const prometheusDatasourceUid = requirePlain(
      CONFIG_KEY.prometheusDatasourceUid,
      "grafanacloud-prom",
      "the Prometheus data source alert rules query",
    );
    const syntheticMonitoring = catalog.services.some((s) => s.health.length > 0);
    if (syntheticMonitoring) {
      requirePlain(
        CONFIG_KEY.smUrl,
        "https://synthetic-monitoring-api-<region>.grafana.net",
        "the Synthetic Monitoring API of the services' health checks",
      );
      requireSecret(CONFIG_KEY.smAccessToken, "the Synthetic Monitoring access token of the services' health checks");
    }
    if (url && !/^https?:\/\//.test(url)) problems.push(`${CONFIG_KEY.grafanaUrl} "${url}" is not an http(s) URL`);
    // Notifications leave the stack: their runbook links must be absolute (dashboard links are, from grafana:url).
    if (!isAbsoluteUrl(catalog.runbookBaseUrl))
      problems.push(
        "the catalog sets neither runbooks.base_url nor github.repository: alerts' runbook_url links would be relative; set one of them",
      );
    if (url && prometheusDatasourceUid)
      grafana = { url: url.replace(/\/+$/, ""), prometheusDatasourceUid, syntheticMonitoring };
  }

  const secrets = [...secretConfigKeys(catalog)].sort();
  if (target === "prod") {
    for (const name of secretConfigKeys(withoutSmtpPasswords(catalog)))
      requireSecret(catalogSecretKey(name), `referenced by the catalog as { secret: ${name} }`);
    for (const spec of githubActionsSpecs(catalog)) {
      if (!("config" in spec.source) || secrets.includes(spec.source.config)) continue;
      const key = catalogSecretKey(spec.source.config);
      if (spec.kind === "secret") requireSecret(key, `GitHub Actions secret ${spec.key}`);
      else requirePlain(key, "<value>", `GitHub Actions variable ${spec.key}`);
    }
  } else {
    for (const name of secrets) {
      const key = catalogSecretKey(name);
      if (source.get(key) !== undefined && !source.isSecret(key))
        problems.push(`${key} is set in plain text but must be a secret: run \`${setSecret(key)}\``);
    }
  }

  if (problems.length) throw new StackConfigError(problems, stack);
  return { stack, target, grafana, secrets };
}
