/**
 * What the real providers (and the APIs behind them) refuse, per resource type the program
 * registers, each fact with the source file it was read from. The offline engine checks every
 * registered resource against this table, so `plan` and the tests fail where `pulumi preview`
 * or `pulumi up` would, naming resource, field and source.
 *
 * Versions (the upstream behind each installed Pulumi package):
 * - `@pulumiverse/grafana` 2.40.0 → grafana/terraform-provider-grafana v4.45.1 (pulumiverse/pulumi-grafana
 *   v2.38.0 pins v4.44.0; 2.40.0's k6 `Installation` has no `publisherToken`, removed in v4.45.1).
 * - `@pulumi/github` 6.15.0 → integrations/terraform-provider-github v6.13.0 (pulumi/pulumi-github v6.15.0,
 *   "Upgrade terraform-provider-github to v6.13.0").
 * - `@pulumiverse/vercel` 5.4.1 → vercel/terraform-provider-vercel v5.4.1 (same resource set; v5.5.0 adds audit log drains).
 * - `@pulumi/docker` 5.2.0 → kreuzwerker/terraform-provider-docker v4.5.0 (pulumi/pulumi-docker v5.1.0 upgraded to it; the newest tag).
 * Server-side limits come from grafana/grafana and grafana/synthetic-monitoring-agent (main).
 *
 * Field paths use the Pulumi input names; `a[]` walks every element of list `a`.
 */

export interface FactSource {
  repo: string;
  ref: string;
  path: string;
  /** Function, constant or schema entry in that file. */
  at: string;
}

export interface Fact {
  /** Field path (`emails[].uid`); `""` for a rule over the whole resource. */
  path: string;
  /** What the provider enforces, as a sentence predicate (`must not be set: computed by the provider`). */
  says: string;
  /** True when `value` (undefined when absent) satisfies the fact. */
  holds: (value: unknown) => boolean;
  source: FactSource;
}

export interface FactViolation {
  type: string;
  name: string;
  /** Concrete field path (`emails[0].uid`). */
  field: string;
  says: string;
  source: FactSource;
}

const GRAFANA_PROVIDER = { repo: "grafana/terraform-provider-grafana", ref: "v4.45.1" };
const GRAFANA = { repo: "grafana/grafana", ref: "main" };
const SM_AGENT = { repo: "grafana/synthetic-monitoring-agent", ref: "main" };
const GITHUB_PROVIDER = { repo: "integrations/terraform-provider-github", ref: "v6.13.0" };
const VERCEL_PROVIDER = { repo: "vercel/terraform-provider-vercel", ref: "v5.4.1" };
const DOCKER_PROVIDER = { repo: "kreuzwerker/terraform-provider-docker", ref: "v4.5.0" };

const grafanaFile = (file: string, at: string): FactSource => ({
  ...GRAFANA_PROVIDER,
  path: `internal/resources/grafana/${file}`,
  at,
});
const CONTACT_POINT = grafanaFile("resource_alerting_contact_point.go", "");
const NOTIFIERS = grafanaFile("resource_alerting_contact_point_notifiers.go", "");
const RULE_GROUP = grafanaFile("resource_alerting_rule_group.go", "");
const NOTIFICATION_POLICY = grafanaFile("resource_alerting_notification_policy.go", "");
const MUTE_TIMING = grafanaFile("resource_alerting_mute_timing.go", "");
const FOLDER = grafanaFile("resource_folder.go", "");
const DASHBOARD = grafanaFile("resource_dashboard.go", "");
const SERVICE_ACCOUNT = grafanaFile("resource_service_account.go", "");
const SERVICE_ACCOUNT_TOKEN = grafanaFile("resource_service_account_token.go", "");
const SM_CHECK: FactSource = {
  ...GRAFANA_PROVIDER,
  path: "internal/resources/syntheticmonitoring/resource_check.go",
  at: "",
};
const SM_LIMITS: FactSource = { ...SM_AGENT, path: "pkg/pb/synthetic_monitoring/checks_extra.go", at: "" };
const SHORT_UID: FactSource = {
  ...GRAFANA,
  path: "pkg/util/shortid_generator.go",
  at: "IsValidShortUID, IsShortUIDTooLong",
};
const RULE_STORE: FactSource = { ...GRAFANA, path: "pkg/services/ngalert/store/alert_rule.go", at: "" };
const RULE_MODEL: FactSource = {
  ...GRAFANA,
  path: "pkg/services/ngalert/models/alert_rule.go",
  at: "ValidateRuleGroupInterval (base interval 10s)",
};
const GITHUB_NAMES: FactSource = { ...GITHUB_PROVIDER, path: "github/util.go", at: "validateSecretNameFunc" };
const GITHUB_SECRET: FactSource = { ...GITHUB_PROVIDER, path: "github/resource_github_actions_secret.go", at: "" };
const GITHUB_VARIABLE: FactSource = { ...GITHUB_PROVIDER, path: "github/resource_github_actions_variable.go", at: "" };
const VERCEL_ENV: FactSource = { ...VERCEL_PROVIDER, path: "vercel/resource_project_environment_variable.go", at: "" };
const DOCKER_CONTAINER: FactSource = {
  ...DOCKER_PROVIDER,
  path: "internal/provider/resource_docker_container.go",
  at: "",
};
const DOCKER_NETWORK: FactSource = { ...DOCKER_PROVIDER, path: "internal/provider/resource_docker_network.go", at: "" };
/** Pulumi's `RemoteImage` is the provider's `docker_image`. */
const DOCKER_IMAGE: FactSource = { ...DOCKER_PROVIDER, path: "internal/provider/resource_docker_image.go", at: "" };

const at = (source: FactSource, where: string): FactSource => ({ ...source, at: where });

/** Grafana's Prometheus-rule converter: the settings it gives a rule "to match Prometheus". */
const PROM_CONVERT: FactSource = {
  ...GRAFANA,
  path: "pkg/services/ngalert/prom/convert.go",
  at: "convertRule (MissingSeriesEvalsToResolve: 1, to match the Prometheus behaviour)",
};

export type GrafanaVersion = readonly [number, number, number];

/**
 * Rule settings the program sends only from the Grafana version that takes them, each with the
 * source of that version; `versions.ts` gates on these.
 */
export const GRAFANA_SINCE: Readonly<
  Record<"missingSeriesEvalsToResolve" | "execErrStateKeepLast", { version: GrafanaVersion; source: FactSource }>
> = {
  /** Grafana 12.0.0: "Alerting: Add MissingSeriesEvalsToResolve to the APIs #102150" (before it, always 2). */
  missingSeriesEvalsToResolve: {
    version: [12, 0, 0],
    source: {
      ...GRAFANA,
      path: "CHANGELOG.md",
      at: "12.0.0: Alerting: Add MissingSeriesEvalsToResolve to the APIs (#102150)",
    },
  },
  /** "Keep Last State" for execution errors, backported to 10.4.x (#84406), so every supported version. */
  execErrStateKeepLast: {
    version: [10, 4, 1],
    source: {
      ...GRAFANA,
      path: "pkg/services/ngalert/models/alert_rule.go",
      at: 'KeepLastErrState ExecutionErrorState = "KeepLast"',
    },
  },
};

/**
 * The dashboard `schemaVersion` each Grafana version understands: the newest whose migration its
 * `DashboardMigrator` (public/app/features/dashboard/state/DashboardMigrator.ts,
 * `DASHBOARD_SCHEMA_VERSION`; since 12.x also apps/dashboard/pkg/migration/schemaversion/) has,
 * from the first release that certainly contains it. A newer `schemaVersion` than a Grafana knows
 * is not migrated there (its migrator returns early and sets its own number), so the program
 * sends the one the configured `grafana.version` knows; an older one a newer Grafana migrates.
 * 40 has no release pinned down by a source: the versions before 11.6 get 39.
 */
export const DASHBOARD_SCHEMA: ReadonlyArray<{ since: GrafanaVersion; schemaVersion: number; source: FactSource }> = [
  {
    since: [10, 4, 0],
    schemaVersion: 39,
    source: {
      ...GRAFANA,
      ref: "71e3814c469e6d407cf5458951258c000ffc861c",
      path: "public/app/features/dashboard/state/DashboardMigrator.ts",
      at: "DASHBOARD_SCHEMA_VERSION = 39 (cited by grafana/grafana#87712, 2024-05-13; a Grafana 10.4 export reads 39, grafana/grafonnet#196, 2024-04-14)",
    },
  },
  {
    since: [11, 6, 0],
    schemaVersion: 41,
    source: {
      ...GRAFANA,
      path: "apps/dashboard/pkg/migration/schemaversion/v41.go",
      at: "V41 removes timepicker.time_options: frontend grafana/grafana#100135 merged 2025-02-11, backend #100554 2025-02-12; 11.6.0 released 2025-03-25",
    },
  },
  {
    since: [12, 3, 0],
    schemaVersion: 42,
    source: {
      ...GRAFANA,
      path: "apps/dashboard/pkg/migration/schemaversion/migrations.go",
      at: "LATEST_VERSION = 42 (V42 hideFrom.tooltip, grafana/grafana#110517 merged 2025-09-05, after the 12.2 release branch; 12.3.0 is the first release certainly holding it)",
    },
  },
];

/** Dashboard JSON options that need a newer Grafana than the oldest supported one (11.0). */
export const DASHBOARD_OPTION_SINCE: Readonly<
  Record<"percentChangeColorMode", { version: GrafanaVersion; source: FactSource }>
> = {
  /** Stat panels' `options.percentChangeColorMode`: "Stat: Add percent change color modes" (#88205), released in 11.1. */
  percentChangeColorMode: {
    version: [11, 1, 0],
    source: {
      ...GRAFANA,
      path: "packages/grafana-schema/src/common/mudball.cue",
      at: 'PercentChangeColorMode: "standard" | "inverted" | "same_as_value" (grafana/grafana#88205, whats-new-in-v11-1)',
    },
  },
};

const present = (v: unknown) => v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0);
const isSet = (v: unknown) => v !== undefined && v !== null;

function computed(path: string, source: FactSource): Fact {
  return {
    path,
    says: "must not be set: the provider computes it and refuses the resource at Check",
    holds: (v) => !isSet(v),
    source,
  };
}
function required(path: string, source: FactSource): Fact {
  return { path, says: "is required", holds: present, source };
}
function oneOf(path: string, values: readonly string[], source: FactSource): Fact {
  return {
    path,
    says: `must be one of ${values.join(", ")}`,
    holds: (v) => !isSet(v) || values.includes(v as string),
    source,
  };
}
function between(path: string, min: number, max: number, unit: string, source: FactSource): Fact {
  return {
    path,
    says: `must be within ${min}..${max} ${unit}`,
    holds: (v) => !isSet(v) || (typeof v === "number" && v >= min && v <= max),
    source,
  };
}
function matches(path: string, pattern: RegExp, what: string, source: FactSource): Fact {
  return {
    path,
    says: `must be ${what}`,
    holds: (v) => !isSet(v) || (typeof v === "string" && pattern.test(v)),
    source,
  };
}
function maxLength(path: string, max: number, source: FactSource): Fact {
  return {
    path,
    says: `must be at most ${max} characters`,
    holds: (v) => !isSet(v) || (typeof v === "string" && v.length <= max),
    source,
  };
}
type Item = Record<string, unknown>;

/** A fact over the object or list element at `path` (`""`: the whole resource). */
function rule(path: string, says: string, holds: (item: Item) => boolean, source: FactSource): Fact {
  return { path, says, holds: (v) => !isSet(v) || holds(v as Item), source };
}
/** A fact over the plain value at `path` (also when absent). */
function value(path: string, says: string, holds: (v: unknown) => boolean, source: FactSource): Fact {
  return { path, says, holds, source };
}

const UID_CHARSET = /^[a-zA-Z0-9\-_]*$/;
const uidFacts = (path: string): Fact[] => [
  matches(path, UID_CHARSET, "letters, digits, - and _ only", SHORT_UID),
  maxLength(path, 40, SHORT_UID),
];

/** Notifier lists of a contact point (Pulumi names), each element built on `commonNotifierResource`. */
const NOTIFIER_FIELDS = [
  "alertmanagers",
  "dingdings",
  "discords",
  "emails",
  "googlechats",
  "jiras",
  "kafkas",
  "lines",
  "oncalls",
  "opsgenies",
  "pagerduties",
  "pushovers",
  "sensugos",
  "slacks",
  "sns",
  "teams",
  "telegrams",
  "threemas",
  "victorops",
  "webexes",
  "webhooks",
  "wecoms",
] as const;

const GITHUB_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const githubNameFacts = (path: string): Fact[] => [
  matches(path, GITHUB_NAME, "letters, digits and _ only, not starting with a digit", GITHUB_NAMES),
  value(
    path,
    "must not start with GITHUB_ (GitHub reserves the prefix)",
    (v) => typeof v !== "string" || !v.toUpperCase().startsWith("GITHUB_"),
    GITHUB_NAMES,
  ),
];

/** Depth of a notification policy tree below the root (root's `policies` = 1). */
function policyDepth(policies: unknown): number {
  if (!Array.isArray(policies) || policies.length === 0) return 0;
  return 1 + Math.max(...policies.map((p) => policyDepth((p as { policies?: unknown }).policies)));
}

/** Every matcher anywhere in a policy tree. */
function treeMatchers(policies: unknown): Array<Record<string, unknown>> {
  if (!Array.isArray(policies)) return [];
  return policies.flatMap((p: { matchers?: Array<Record<string, unknown>>; policies?: unknown }) => [
    ...(p.matchers ?? []),
    ...treeMatchers(p.policies),
  ]);
}

/** Recently parsed JSON texts: most rule groups repeat the same expression-step models. */
const PARSED = new Map<string, Record<string, unknown> | undefined>();
const PARSED_MAX = 256;

/** `v` parsed when it is a JSON object text; read only (it may be shared). */
const jsonObject = (v: unknown): Readonly<Record<string, unknown>> | undefined => {
  if (typeof v !== "string") return undefined;
  if (PARSED.has(v)) return PARSED.get(v);
  let object: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(v);
    object =
      parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    object = undefined;
  }
  if (PARSED.size >= PARSED_MAX) PARSED.clear();
  PARSED.set(v, object);
  return object;
};

const RECORD_CONFLICTS = [
  "for",
  "keepFiringFor",
  "missingSeriesEvalsToResolve",
  "noDataState",
  "execErrState",
  "condition",
] as const;

/** The table: Pulumi resource type token → facts. Types of these providers missing here fail the check. */
export const PROVIDER_FACTS: Readonly<Record<string, readonly Fact[]>> = {
  "grafana:oss/folder:Folder": [
    required("title", at(FOLDER, "schema title")),
    matches("uid", /^[a-zA-Z0-9\-_]+$/, "letters, digits, - and _ only", at(FOLDER, "folderUIDValidation")),
    maxLength("uid", 40, SHORT_UID),
  ],
  "grafana:oss/dashboard:Dashboard": [
    ...["uid", "dashboardId", "url", "version"].map((f) => computed(f, at(DASHBOARD, `schema ${f}`))),
    required("configJson", at(DASHBOARD, "schema config_json")),
    value(
      "configJson",
      "must be a JSON object",
      (v) => jsonObject(v) !== undefined,
      at(DASHBOARD, "validateDashboardConfigJSON"),
    ),
    value(
      "configJson",
      "uid must be letters, digits, - and _ only, at most 40 characters",
      (v) => {
        const uid = jsonObject(v)?.uid;
        return uid === undefined || (typeof uid === "string" && UID_CHARSET.test(uid) && uid.length <= 40);
      },
      SHORT_UID,
    ),
  ],
  "grafana:alerting/ruleGroup:RuleGroup": [
    required("name", at(RULE_GROUP, "schema name")),
    maxLength("name", 190, at(RULE_STORE, "AlertRuleMaxRuleGroupNameLength")),
    required("folderUid", at(RULE_GROUP, "schema folder_uid")),
    matches("folderUid", /^[a-zA-Z0-9\-_]+$/, "letters, digits, - and _ only", at(FOLDER, "folderUIDValidation")),
    required("intervalSeconds", at(RULE_GROUP, "schema interval_seconds")),
    value(
      "intervalSeconds",
      "must be a positive multiple of 10 (Grafana's scheduler base interval)",
      (v) => typeof v === "number" && v > 0 && v % 10 === 0,
      RULE_MODEL,
    ),
    required("rules", at(RULE_GROUP, "schema rule (MinItems 1)")),
    rule(
      "",
      "rule uids must be unique within the group",
      (r) => {
        const uids = ((r.rules as Array<{ uid?: string }> | undefined) ?? [])
          .map((x) => x.uid)
          .filter((u) => u !== undefined);
        return new Set(uids).size === uids.length;
      },
      at(RULE_GROUP, "putAlertRuleGroup (rule with UID is defined more than once)"),
    ),
    required("rules[].name", at(RULE_GROUP, "schema rule.name")),
    maxLength("rules[].name", 190, at(RULE_STORE, "AlertRuleMaxTitleLength")),
    ...uidFacts("rules[].uid"),
    required("rules[].datas", at(RULE_GROUP, "schema rule.data (MinItems 1)")),
    required("rules[].datas[].refId", at(RULE_GROUP, "schema rule.data.ref_id")),
    required("rules[].datas[].datasourceUid", at(RULE_GROUP, "schema rule.data.datasource_uid")),
    required("rules[].datas[].model", at(RULE_GROUP, "schema rule.data.model")),
    value(
      "rules[].datas[].model",
      "must be JSON",
      (v) => jsonObject(v) !== undefined,
      at(RULE_GROUP, "schema rule.data.model (validation.StringIsJSON)"),
    ),
    required("rules[].datas[].relativeTimeRange", at(RULE_GROUP, "schema rule.data.relative_time_range")),
    rule(
      "rules[]",
      "an alert rule needs a condition naming one of its data refIds",
      (r) => {
        if (isSet(r.record)) return true;
        const refIds = ((r.datas as Array<{ refId?: string }> | undefined) ?? []).map((d) => d.refId);
        return typeof r.condition === "string" && refIds.includes(r.condition);
      },
      at(RULE_GROUP, 'unpackAlertRule ("condition" is required)'),
    ),
    rule(
      "rules[]",
      `a recording rule must not set ${RECORD_CONFLICTS.join(", ")}`,
      (r) => !isSet(r.record) || RECORD_CONFLICTS.every((f) => !present(r[f]) || r[f] === "0s" || r[f] === 0),
      at(RULE_GROUP, 'unpackAlertRule (conflicting fields "record" and ...)'),
    ),
    oneOf(
      "rules[].execErrState",
      ["OK", "Error", "KeepLast", "Alerting"],
      at(RULE_GROUP, "schema rule.exec_err_state"),
    ),
    value(
      "rules[].missingSeriesEvalsToResolve",
      "must be a whole number of at least 1 (the provider drops smaller values, Grafana refuses them)",
      (v) => !isSet(v) || (Number.isInteger(v) && (v as number) >= 1),
      at(RULE_GROUP, "unpackAlertRule (missing_series_evals_to_resolve >= 1)"),
    ),
    value(
      "rules[].missingSeriesEvalsToResolve",
      "is 1 on alerts converted from Prometheus rules",
      (v) => !isSet(v) || v === 1,
      PROM_CONVERT,
    ),
    required("rules[].record.metric", at(RULE_GROUP, "schema rule.record.metric")),
    required("rules[].record.from", at(RULE_GROUP, "schema rule.record.from")),
  ],
  "grafana:alerting/contactPoint:ContactPoint": [
    required("name", at(CONTACT_POINT, "schema name")),
    rule(
      "",
      "needs at least one notifier (emails, slacks, pagerduties, webhooks, ...)",
      (r) => NOTIFIER_FIELDS.some((f) => present(r[f])),
      at(CONTACT_POINT, "AtLeastOneOf notifierFields"),
    ),
    ...NOTIFIER_FIELDS.map((f) => computed(`${f}[].uid`, at(CONTACT_POINT, "commonNotifierResource (uid: Computed)"))),
    required("emails[].addresses", at(NOTIFIERS, "emailNotifier.schema addresses")),
    required("emails[].addresses[]", at(NOTIFIERS, "emailNotifier.schema addresses (StringIsNotEmpty)")),
    required("pagerduties[].integrationKey", at(NOTIFIERS, "pagerDutyNotifier.schema integration_key")),
    required("webhooks[].url", at(NOTIFIERS, "webhookNotifier.schema url")),
  ],
  "grafana:alerting/notificationPolicy:NotificationPolicy": [
    required("contactPoint", at(NOTIFICATION_POLICY, "schema contact_point")),
    required("groupBies", at(NOTIFICATION_POLICY, "schema group_by")),
    required("groupBies[]", at(NOTIFICATION_POLICY, "schema group_by (StringIsNotEmpty)")),
    value(
      "policies",
      "must nest at most 5 levels",
      (v) => policyDepth(v) <= 5,
      at(NOTIFICATION_POLICY, "supportedPolicyTreeDepth"),
    ),
    value(
      "policies",
      "matchers need label, match (=, !=, =~, !~) and value",
      (v) =>
        treeMatchers(v).every(
          (m) => present(m.label) && ["=", "!=", "=~", "!~"].includes(m.match as string) && isSet(m.value),
        ),
      at(NOTIFICATION_POLICY, "policySchema matcher"),
    ),
  ],
  "grafana:alerting/muteTiming:MuteTiming": [
    required("name", at(MUTE_TIMING, "schema name")),
    required("intervals[].times[].start", at(MUTE_TIMING, "schema intervals.times.start")),
    required("intervals[].times[].end", at(MUTE_TIMING, "schema intervals.times.end")),
    matches(
      "intervals[].times[].start",
      /^([01]\d|2[0-3]):[0-5]\d$/,
      "hh:mm",
      at(MUTE_TIMING, "schema intervals.times.start"),
    ),
    matches(
      "intervals[].times[].end",
      /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/,
      "hh:mm",
      at(MUTE_TIMING, "schema intervals.times.end"),
    ),
    matches(
      "intervals[].weekdays[]",
      /^(monday|tuesday|wednesday|thursday|friday|saturday|sunday)(:(monday|tuesday|wednesday|thursday|friday|saturday|sunday))?$/,
      "a weekday or a range like tuesday:thursday",
      at(MUTE_TIMING, "schema intervals.weekdays"),
    ),
  ],
  "grafana:oss/serviceAccount:ServiceAccount": [
    required("name", at(SERVICE_ACCOUNT, "schema name")),
    required("role", at(SERVICE_ACCOUNT, "schema role")),
    oneOf("role", ["Viewer", "Editor", "Admin", "None"], at(SERVICE_ACCOUNT, "schema role (stringvalidator.OneOf)")),
  ],
  "grafana:oss/serviceAccountToken:ServiceAccountToken": [
    required("name", at(SERVICE_ACCOUNT_TOKEN, "schema name")),
    required("serviceAccountId", at(SERVICE_ACCOUNT_TOKEN, "schema service_account_id")),
    ...["key", "expiration", "hasExpired"].map((f) => computed(f, at(SERVICE_ACCOUNT_TOKEN, `schema ${f}`))),
  ],
  "grafana:syntheticMonitoring/check:Check": [
    required("job", at(SM_CHECK, "schema job")),
    required("target", at(SM_CHECK, "schema target")),
    required("probes", at(SM_CHECK, "schema probes")),
    required("settings", at(SM_CHECK, "schema settings")),
    computed("tenantId", at(SM_CHECK, "schema tenant_id")),
    between("frequency", 1000, 3_600_000, "ms (1s..1h)", at(SM_CHECK, "schema frequency (validation.IntBetween)")),
    rule(
      "",
      "timeout must be within 1000 ms..min(frequency, 60000 ms)",
      (r) => {
        const timeout = r.timeout ?? 3000;
        const frequency = r.frequency ?? 60000;
        return (
          typeof timeout === "number" &&
          typeof frequency === "number" &&
          timeout >= 1000 &&
          timeout <= Math.min(frequency, 60_000)
        );
      },
      at(SM_LIMITS, "validateTimeout, MaxCheckTimeout"),
    ),
    rule(
      "settings",
      "must hold exactly one check kind (http, ping, dns, tcp, ...)",
      (v) => !isSet(v) || Object.values(v as Record<string, unknown>).filter(isSet).length === 1,
      at(SM_CHECK, "resourceCheckCustomizeDiff"),
    ),
    oneOf("alertSensitivity", ["none", "low", "medium", "high"], at(SM_CHECK, "schema alert_sensitivity")),
    oneOf("settings.http.ipVersion", ["V4", "V6", "Any"], at(SM_CHECK, "syntheticMonitoringCheckIPVersion")),
    value(
      "labels",
      "must have at most 5 labels",
      (v) => !isSet(v) || Object.keys(v).length <= 5,
      at(SM_CHECK, "schema labels"),
    ),
  ],
  "github:index/actionsSecret:ActionsSecret": [
    required("repository", at(GITHUB_SECRET, "schema repository")),
    required("secretName", at(GITHUB_SECRET, "schema secret_name")),
    ...githubNameFacts("secretName"),
    rule(
      "",
      "needs exactly one of value, valueEncrypted, encryptedValue, plaintextValue",
      (r) => ["value", "valueEncrypted", "encryptedValue", "plaintextValue"].filter((f) => isSet(r[f])).length === 1,
      at(GITHUB_SECRET, "schema value (ExactlyOneOf)"),
    ),
    ...["repositoryId", "createdAt", "updatedAt"].map((f) => computed(f, at(GITHUB_SECRET, `schema ${f}`))),
  ],
  "github:index/actionsVariable:ActionsVariable": [
    required("repository", at(GITHUB_VARIABLE, "schema repository")),
    required("variableName", at(GITHUB_VARIABLE, "schema variable_name")),
    ...githubNameFacts("variableName"),
    value("value", "is required", isSet, at(GITHUB_VARIABLE, "schema value")),
    ...["repositoryId", "createdAt", "updatedAt"].map((f) => computed(f, at(GITHUB_VARIABLE, `schema ${f}`))),
  ],
  "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable": [
    required("key", at(VERCEL_ENV, "schema key")),
    required("projectId", at(VERCEL_ENV, "schema project_id")),
    rule(
      "sensitive",
      "must be set explicitly (true or false)",
      (v) => typeof v === "boolean",
      at(VERCEL_ENV, "schema sensitive (Required)"),
    ),
    rule(
      "",
      "needs exactly one of value, valueWo",
      (r) => ["value", "valueWo"].filter((f) => isSet(r[f])).length === 1,
      at(VERCEL_ENV, "schema value (ExactlyOneOf)"),
    ),
    rule(
      "",
      "needs targets or customEnvironmentIds",
      (r) => present(r.targets) || present(r.customEnvironmentIds),
      at(VERCEL_ENV, "schema target (AtLeastOneOf)"),
    ),
    oneOf(
      "targets[]",
      ["production", "preview", "development"],
      at(VERCEL_ENV, "schema target (stringvalidator.OneOf)"),
    ),
    rule(
      "",
      "a variable targeting development must set sensitive: false",
      (r) => !(Array.isArray(r.targets) && r.targets.includes("development")) || r.sensitive === false,
      at(VERCEL_ENV, "ModifyPlan"),
    ),
    maxLength("comment", 1000, at(VERCEL_ENV, "schema comment (LengthBetween 0, 1000)")),
  ],
  "docker:index/container:Container": [
    required("name", at(DOCKER_CONTAINER, "schema name")),
    required("image", at(DOCKER_CONTAINER, "schema image")),
    oneOf("restart", ["no", "on-failure", "always", "unless-stopped"], at(DOCKER_CONTAINER, "schema restart")),
    value("ports[].internal", "is required", isSet, at(DOCKER_CONTAINER, "schema ports.internal")),
    required("uploads[].file", at(DOCKER_CONTAINER, "schema upload.file")),
    required("networksAdvanced[].name", at(DOCKER_CONTAINER, "schema networks_advanced.name")),
  ],
  "docker:index/network:Network": [required("name", at(DOCKER_NETWORK, "schema name"))],
  "docker:index/remoteImage:RemoteImage": [required("name", at(DOCKER_IMAGE, "schema name"))],
};

/** Providers whose every resource type must be in the table. */
const CHECKED_PACKAGES = ["grafana", "github", "vercel", "docker"];

/** Dotted paths split once: `rules[].datas[].model` → segments with their list marks. */
const PATHS = new Map<string, Segment[]>();

interface Segment {
  key: string;
  list: boolean;
}

function segments(path: string): Segment[] {
  let parsed = PATHS.get(path);
  if (!parsed) {
    parsed =
      path === ""
        ? []
        : path
            .split(".")
            .map((segment) =>
              segment.endsWith("[]") ? { key: segment.slice(0, -2), list: true } : { key: segment, list: false },
            );
    PATHS.set(path, parsed);
  }
  return parsed;
}

/** The field name of a value found at `trail` (`rules[3].datas[0].model`), spelled only when a fact breaks. */
function fieldOf(trail: ReadonlyArray<string | number>): string {
  let field = "";
  for (const key of trail) field = typeof key === "number" ? `${field}[${key}]` : field ? `${field}.${key}` : key;
  return field;
}

/**
 * Checks `fact` on every value its path reaches below `value` (from segment `i`; list elements
 * walked with `[]`), calling `broken` with the field of each value it does not hold for.
 */
function check(
  value: unknown,
  path: Segment[],
  i: number,
  trail: Array<string | number>,
  fact: Fact,
  broken: (field: string) => void,
): void {
  if (i === path.length) {
    if (!fact.holds(value)) broken(fieldOf(trail));
    return;
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return;
  const { key, list } = path[i];
  const named = (value as Item)[key];
  trail.push(key);
  if (!list) check(named, path, i + 1, trail, fact, broken);
  else if (Array.isArray(named))
    for (let j = 0; j < named.length; j++) {
      trail.push(j);
      check(named[j], path, i + 1, trail, fact, broken);
      trail.pop();
    }
  trail.pop();
}

/** Facts `inputs` (secrets unwrapped: violations never carry values) of resource `type`/`name` break. */
export function checkResource(type: string, name: string, inputs: Item): FactViolation[] {
  const facts = PROVIDER_FACTS[type];
  if (!facts) {
    const pkg = type.split(":")[0];
    if (!CHECKED_PACKAGES.includes(pkg)) return [];
    return [
      {
        type,
        name,
        field: "",
        says: "has no provider facts recorded: add its type to infra/provider-facts.ts",
        source: { repo: "ops-monitoring", ref: "", path: "infra/provider-facts.ts", at: "PROVIDER_FACTS" },
      },
    ];
  }
  const violations: FactViolation[] = [];
  const trail: Array<string | number> = [];
  for (const fact of facts)
    check(inputs, segments(fact.path), 0, trail, fact, (field) =>
      violations.push({ type, name, field, says: fact.says, source: fact.source }),
    );
  return violations;
}

export function formatSource(s: FactSource): string {
  return `${s.repo}${s.ref ? `@${s.ref}` : ""} ${s.path}${s.at ? ` (${s.at})` : ""}`;
}

/** Resources whose inputs the real provider would refuse; the message lists every violation. */
export class ProviderFactsError extends Error {
  constructor(readonly violations: FactViolation[]) {
    super(
      [
        `${violations.length} provider fact${violations.length === 1 ? "" : "s"} broken; pulumi preview would refuse:`,
        ...violations.map(
          (v) => `  ${v.type} "${v.name}": ${v.field || "(resource)"} ${v.says} [${formatSource(v.source)}]`,
        ),
      ].join("\n"),
    );
    this.name = "ProviderFactsError";
  }
}
