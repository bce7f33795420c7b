/**
 * What the Pulumi program registers on a `prod` stack, computed without the Pulumi runtime: the
 * same validation, stack settings and pure input functions as the program (`run.ts`,
 * `grafana/inputs.ts`, `grafana/checks.ts`, `vercel/variable-inputs.ts`, `env/`), wired as its
 * components wire them, with the mocked engine's answers (`offline-registry.ts`). Every resource
 * goes through the same provider-facts and duplicate-URN checks as under the mocked engine.
 *
 * The Pulumi runtime serialises every input value asynchronously, one promise per nested
 * value: for thousands of rule groups that cost seconds where computing the inputs costs
 * milliseconds. `test/infra/direct-plan.test.ts` proves on every example catalog that the real
 * program under the mocked engine registers byte-identical resources and outputs.
 *
 * It computes the successful run only: any failure is thrown as is, and `plan` runs the real
 * program to report it.
 */
import { resourceName, STACK_OUTPUT, deployServiceAccountName } from "../conventions";
import type { SecretRef } from "../catalog/model";
import { withStackGrafanaUrl } from "../catalog/load";
import { validateCatalog } from "../catalog/validate";
import { ruleGroupsOf } from "../artifacts";
import { githubActionsSpecs } from "../env/github-actions";
import {
  catalogSecretKey,
  CONFIG_KEY,
  PROJECT,
  readStackSettings,
  StackConfigError,
  type ConfigSource,
} from "./config";
import { ignoredEmailSettings } from "./grafana/contact-points";
import { providerToken } from "./github/provider-token";
import { grafanaInputs } from "./grafana/inputs";
import { checkInputs, probeIds } from "./grafana/checks";
import { dashboardConfigJson } from "./grafana/dashboard-json";
import { projectLookup, variableInputs, vercelProjects } from "./vercel/variable-inputs";
import { ProviderFactsError } from "./provider-facts";
import type { EngineRequest, MockRun } from "./offline-engine-protocol";
import type { ValidatedStackCatalog } from "./offline-engine";
import { SECRET_MARK } from "./offline-engine-protocol";
import {
  asEngineReceives,
  callResult,
  computedState,
  isRpcSecret,
  mockId,
  Registrations,
  rpcSecret,
  type RpcSecret,
} from "./offline-registry";

const COMPONENT = (name: string) => `ops-monitoring:index:${name}`;

/**
 * Inputs a provider SDK's resource constructor wraps as secrets, whatever the program passes
 * (`resourceInputs["value"] = args?.value ? pulumi.secret(args.value) : undefined` in
 * `@pulumiverse/vercel` `projectEnvironmentVariable.js`, `@pulumi/github` `actionsSecret.js`);
 * `test/infra/direct-plan.test.ts` reads them back from the installed SDKs.
 */
export const SDK_SECRET_INPUTS: Readonly<Record<string, readonly string[]>> = {
  "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable": ["value", "valueWo"],
  "github:index/actionsSecret:ActionsSecret": ["encryptedValue", "plaintextValue", "value", "valueEncrypted"],
};

/**
 * The GitHub provider's inputs as its SDK sets them from the program's `{ owner, token }`
 * (`@pulumi/github` `provider.js`: `baseUrl` defaults from the environment, a given token is
 * wrapped as a secret).
 */
function githubProviderInputs(owner: string): Record<string, unknown> {
  const token = providerToken();
  return {
    baseUrl: process.env.GITHUB_BASE_URL || "https://api.github.com/",
    owner,
    token: token && rpcSecret(token),
  };
}

/**
 * The run of `request` (a prod-target stack): resources sorted by type then name, stack
 * outputs, and the warnings the program logs. Throws whatever the program would fail with (or another error where the program
 * fails asynchronously); a broken provider fact as `ProviderFactsError`. `validated` is used instead of
 * validating again when the request's catalog text and Grafana URL are the ones it was validated from.
 */
export function directPlan(
  request: EngineRequest,
  validated?: ValidatedStackCatalog,
): { run: MockRun; warnings: string[] } {
  const values = new Map<string, string>();
  const secretKeys = new Set<string>();
  for (const [key, v] of Object.entries(request.config)) {
    if (v === null) continue;
    values.set(key, typeof v === "string" ? v : v.secret);
    if (typeof v !== "string") secretKeys.add(key);
  }
  const source: ConfigSource = { get: (key) => values.get(key), isSecret: (key) => secretKeys.has(key) };
  const stack = request.stack;
  const catalogText = values.get(CONFIG_KEY.catalog);
  if (catalogText === undefined) throw new Error(`missing required configuration ${CONFIG_KEY.catalog}`);
  const where = `${CONFIG_KEY.catalog} (Pulumi.${stack}.yaml)`;
  const grafanaUrl = source.get(CONFIG_KEY.grafanaUrl);
  const catalog =
    validated && validated.text === catalogText && validated.grafanaUrl === grafanaUrl
      ? validated.catalog
      : validateCatalog(withStackGrafanaUrl(JSON.parse(catalogText) as unknown, grafanaUrl, where), where);
  const settings = readStackSettings(catalog, stack, source);
  const grafanaSettings = settings.grafana;
  if (settings.target !== "prod" || !grafanaSettings) throw new Error(`stack ${stack}: not a prod target`);

  const secret = (ref: SecretRef | string): RpcSecret => {
    const name = typeof ref === "string" ? ref : ref.secret;
    const value = values.get(catalogSecretKey(name));
    if (value === undefined)
      throw new StackConfigError(
        [`${catalogSecretKey(name)} is not set: pulumi config set --secret ${name} <value>`],
        stack,
      );
    return rpcSecret(value);
  };
  const registrations = new Registrations();
  const register = (type: string, name: string, inputs: Record<string, unknown> = {}): Record<string, unknown> => {
    const received: Record<string, unknown> = {};
    const sdkSecrets = SDK_SECRET_INPUTS[type] ?? [];
    for (const [k, v] of Object.entries(inputs))
      if (sdkSecrets.includes(k)) {
        if (v) received[k] = asEngineReceives(rpcSecret(v));
      } else if (v !== undefined) received[k] = asEngineReceives(v);
    registrations.add(type, name, received);
    return { id: mockId(name), ...received, ...computedState(type, name, received) };
  };

  const { system } = catalog;
  const rules = ruleGroupsOf(catalog, { customRules: request.customRules, profile: "prod" });
  const inputs = grafanaInputs(catalog, rules, grafanaSettings, secret);

  // GrafanaMonitoring (grafana/index.ts)
  register(COMPONENT("GrafanaMonitoring"), system);
  const folderUid = register("grafana:oss/folder:Folder", resourceName(system, "folder"), inputs.folder).uid;
  register(COMPONENT("GrafanaDashboards"), resourceName(system, "dashboards"));
  const dashboardUids: Record<string, unknown> = {};
  for (const doc of inputs.dashboards)
    dashboardUids[doc.key] = register("grafana:oss/dashboard:Dashboard", resourceName(system, "dashboard", doc.key), {
      folder: folderUid,
      configJson: dashboardConfigJson(doc),
      overwrite: true,
    }).uid;
  register(COMPONENT("GrafanaAlertRules"), resourceName(system, "rules"));
  for (const g of inputs.ruleGroups)
    register("grafana:alerting/ruleGroup:RuleGroup", resourceName(g.name), {
      folderUid,
      intervalSeconds: g.intervalSeconds,
      name: g.name,
      rules: g.rules,
    });
  register(COMPONENT("GrafanaNotifications"), resourceName(system, "notifications"));
  for (const { contact, ...contactInputs } of inputs.contactPoints)
    register("grafana:alerting/contactPoint:ContactPoint", resourceName(system, "contact", contact), contactInputs);
  for (const { key, ...muteInputs } of inputs.muteTimings)
    register("grafana:alerting/muteTiming:MuteTiming", resourceName(system, "mute", key), muteInputs);
  register(
    "grafana:alerting/notificationPolicy:NotificationPolicy",
    resourceName(system, "policy"),
    inputs.policy as unknown as Record<string, unknown>,
  );
  if (inputs.checks.length) {
    register(COMPONENT("SyntheticChecks"), resourceName(system, "synthetics"));
    const available = callResult(
      "grafana:syntheticMonitoring/getProbes:getProbes",
      { filterDeprecated: true },
      request.probes,
    ).probes as Record<string, number>;
    for (const spec of inputs.checks)
      register(
        "grafana:syntheticMonitoring/check:Check",
        spec.name,
        checkInputs(spec, probeIds(spec.service, spec.probeNames, available), secret),
      );
  }
  const accountName = deployServiceAccountName(system);
  register(COMPONENT("DeployToken"), resourceName(system, "deploy"));
  const account = register("grafana:oss/serviceAccount:ServiceAccount", accountName, {
    name: accountName,
    role: "Editor",
    isDisabled: false,
  });
  const token = register("grafana:oss/serviceAccountToken:ServiceAccountToken", accountName, {
    name: accountName,
    serviceAccountId: account.id,
  });
  const outputs: Record<string, unknown> = {
    [STACK_OUTPUT.grafanaUrl]: grafanaSettings.url,
    [STACK_OUTPUT.grafanaFolderUid]: folderUid,
    [STACK_OUTPUT.grafanaDashboardUids]: dashboardUids,
    [STACK_OUTPUT.grafanaDeployToken]: rpcSecret(token.key),
  };

  // VercelEnvironment (vercel/environment.ts)
  for (const { project, teamId, specs } of vercelProjects(catalog)) {
    register(COMPONENT("VercelEnvironment"), project);
    const lookup = projectLookup(project, teamId);
    const projectId = "id" in lookup ? lookup.id : callResult("vercel:index/getProject:getProject", lookup, {}).id;
    for (const spec of specs)
      register(
        "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable",
        spec.name,
        variableInputs(spec, projectId, teamId, secret),
      );
  }

  // GitHubActionsConfig (github/actions-config.ts)
  const actions = githubActionsSpecs(catalog);
  const repository = catalog.github?.repository;
  if (repository && actions.length) {
    const [owner, repo] = repository.split("/");
    register(COMPONENT("GitHubActionsConfig"), repository.replace("/", "-"));
    register("pulumi:providers:github", owner, githubProviderInputs(owner));
    for (const spec of actions) {
      const sourceName = "output" in spec.source ? spec.source.output : spec.source.config;
      const output = "output" in spec.source && sourceName in outputs ? outputs[sourceName] : undefined;
      const unwrapped = isRpcSecret(output) ? output.value : output;
      if (output !== undefined && typeof unwrapped !== "string")
        throw new Error(`stack output ${sourceName} is ${typeof unwrapped}, not a string`);
      if (spec.kind === "secret")
        register("github:index/actionsSecret:ActionsSecret", spec.name, {
          repository: repo,
          secretName: spec.key,
          value: rpcSecret(output ?? secret(sourceName)),
        });
      else {
        const value = output ?? values.get(`${PROJECT}:${sourceName}`);
        if (value === undefined) throw new Error(`missing required configuration ${PROJECT}:${sourceName}`);
        register("github:index/actionsVariable:ActionsVariable", spec.name, {
          repository: repo,
          variableName: spec.key,
          value,
        });
      }
    }
  }

  if (registrations.violations.length) throw new ProviderFactsError(registrations.violations);
  const names = Object.keys(outputs).sort();
  return {
    run: {
      resources: registrations.sorted(),
      outputs: Object.fromEntries(names.map((k) => [k, isRpcSecret(outputs[k]) ? SECRET_MARK : outputs[k]])),
      secretOutputs: names.filter((k) => isRpcSecret(outputs[k])),
    },
    // As the program logs them (`pulumi.log.warn` without an engine).
    warnings: ignoredEmailSettings(catalog).map((w) => `warning: [runtime] ${w}`),
  };
}
