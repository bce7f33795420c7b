/**
 * Runs the real Pulumi program (`runStack`: catalog validation, stack settings, every section)
 * against a mocked engine, with no network and no Pulumi CLI, and returns what it registered.
 * `plan`, the tests and the bench use it.
 *
 * Stack config is faked from the catalog: every secret the program reads gets a placeholder
 * value marked secret; callers override or remove keys to test bad configuration. Secret
 * inputs come back as `"[secret]"`, never their value. The Pulumi runtime is global to the
 * process, so runs are queued one after another.
 */
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as runtimeSettings from "@pulumi/pulumi/runtime/settings";
import { validateCatalog } from "../catalog/validate";
import { githubActionsSpecs, secretConfigKeys } from "../env/github-actions";
import { catalogSecretKey, CONFIG_KEY, PROJECT, targetOf } from "./config";
import { runStack } from "./run";

/** What a secret value is printed as. */
export const SECRET_MARK = "[secret]";
/** Prefix of the placeholder values given to secret config; never appears in any output. */
export const PLACEHOLDER_SECRET_PREFIX = "placeholder-secret-value:";

/** Synthetic Monitoring public probes the mocked `getProbes` returns, name → id. */
export const MOCK_PROBES: Readonly<Record<string, number>> = Object.fromEntries(
  ["Amsterdam", "Atlanta", "Bangalore", "CapeTown", "Dallas", "Frankfurt", "London", "Mumbai", "NewYork", "NorthCalifornia",
    "NorthVirginia", "Ohio", "Oregon", "Paris", "SaoPaulo", "Seoul", "Singapore", "Stockholm", "Sydney", "Tokyo", "Toronto"].map((n, i) => [n, i + 1]),
);

export interface RegisteredResource {
  type: string;
  name: string;
  /** Inputs as the engine received them, keys sorted; secret values are `"[secret]"`. */
  inputs: Record<string, unknown>;
  /** Top-level input names whose value is secret (the engine tracks secrecy per top-level property). */
  secretInputs: string[];
}

export interface MockRun {
  /** Sorted by type, then name. */
  resources: RegisteredResource[];
  /** Stack outputs; secret ones are `"[secret]"`. */
  outputs: Record<string, unknown>;
  /** Names of the secret stack outputs. */
  secretOutputs: string[];
}

/** A config value: plain text, a secret, or `null` to leave the key unset. */
export type ConfigValue = string | { secret: string } | null;

export interface MockRunOptions {
  /** Hand-written rule files, by name (default none). */
  customRules?: Record<string, string>;
  /** Stack config on top of the faked defaults (`grafana:url`, `ops-monitoring:slackWebhookUrl`, ...). */
  config?: Record<string, ConfigValue>;
  /** Probes `getProbes` returns (default `MOCK_PROBES`). */
  probes?: Record<string, number>;
}

/** The run failed (bad catalog or config, or a resource refused its inputs); `resources` were registered before. */
export class MockRunFailure extends Error {
  constructor(readonly cause: unknown, readonly resources: RegisteredResource[]) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "MockRunFailure";
  }
}

const placeholder = (key: string): { secret: string } => ({ secret: `${PLACEHOLDER_SECRET_PREFIX}${key}` });

/**
 * Default stack config for `rawCatalog` on `stack`: what a correctly configured stack holds,
 * with placeholder secrets. An invalid catalog gets only the catalog key (the program reports it).
 */
export function mockStackConfig(rawCatalog: unknown, stack: string): Record<string, ConfigValue> {
  const config: Record<string, ConfigValue> = { [CONFIG_KEY.catalog]: JSON.stringify(rawCatalog) };
  let catalog;
  try {
    catalog = validateCatalog(rawCatalog);
  } catch {
    return config;
  }
  if (targetOf(stack) === "prod") {
    config[CONFIG_KEY.grafanaUrl] = catalog.grafanaUrl ?? "https://grafana.example.com";
    config[CONFIG_KEY.grafanaAuth] = placeholder(CONFIG_KEY.grafanaAuth);
    config[CONFIG_KEY.prometheusDatasourceUid] = "grafanacloud-prom";
    config[CONFIG_KEY.smUrl] = "https://synthetic-monitoring-api.grafana.example.com";
    config[CONFIG_KEY.smAccessToken] = placeholder(CONFIG_KEY.smAccessToken);
    for (const spec of githubActionsSpecs(catalog)) {
      if ("config" in spec.source) config[catalogSecretKey(spec.source.config)] = spec.kind === "secret" ? placeholder(spec.source.config) : `value-of-${spec.source.config}`;
    }
  }
  for (const name of secretConfigKeys(catalog)) config[catalogSecretKey(name)] = placeholder(name);
  return config;
}

function isRpcSecret(v: unknown): v is { value: unknown } {
  return !!v && typeof v === "object" && (v as Record<string, unknown>)[rpc.specialSigKey] === rpc.specialSecretSig;
}

/** Engine-side inputs → printable: secrets masked, keys sorted. */
function printable(value: unknown): unknown {
  if (isRpcSecret(value)) return SECRET_MARK;
  if (Array.isArray(value)) return value.map(printable);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, printable(obj[k])]));
  }
  return value;
}

/** Inputs nothing reads back but which are large (rule lists, dashboard JSON): not echoed as outputs, to keep big runs fast. */
const UNREAD_LARGE_INPUTS = new Set(["rules", "configJson"]);

/** A mocked resource's outputs are its inputs. */
function echoed(inputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(inputs).filter(([k]) => !UNREAD_LARGE_INPUTS.has(k)));
}

/** Outputs a mocked resource reports besides its inputs. */
function computedState(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case "grafana:oss/dashboard:Dashboard":
      return { uid: (JSON.parse(String(inputs.configJson)) as { uid: string }).uid };
    case "grafana:oss/serviceAccountToken:ServiceAccountToken":
      return { key: placeholder("deploy-token").secret };
    default:
      return {};
  }
}

function callResult(token: string, inputs: Record<string, unknown>, probes: Record<string, number>): Record<string, unknown> {
  switch (token) {
    case "grafana:syntheticMonitoring/getProbes:getProbes":
      return { id: "probes", filterDeprecated: true, probes };
    case "vercel:index/getProject:getProject":
      return { id: `prj_mock${String(inputs.name).replace(/[^A-Za-z0-9]/g, "")}`, ...inputs };
    default:
      return { id: token, ...inputs };
  }
}

async function resolveOutputs(outputs: Record<string, pulumi.Output<unknown>>): Promise<{ values: Record<string, unknown>; secret: string[] }> {
  const values: Record<string, unknown> = {};
  const secret: string[] = [];
  for (const key of Object.keys(outputs).sort()) {
    const output: pulumi.Output<unknown> = pulumi.output(outputs[key]);
    if (await pulumi.isSecret(output)) {
      secret.push(key);
      values[key] = SECRET_MARK;
    } else {
      values[key] = await new Promise((resolve) => output.apply((v) => resolve(v)));
    }
  }
  return { values, secret };
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs the program for `rawCatalog` (the `ops-monitoring:catalog` object, as written) on stack
 * `stack` (`prod`, `local`, ...). Rejects with `MockRunFailure` when the program fails.
 */
export function runProgramUnderMocks(rawCatalog: unknown, stack: string, options: MockRunOptions = {}): Promise<MockRun> {
  const run = queue.then(() => runOnce(rawCatalog, stack, options));
  queue = run.catch(() => undefined);
  return run;
}

async function runOnce(rawCatalog: unknown, stack: string, options: MockRunOptions): Promise<MockRun> {
  const registered: RegisteredResource[] = [];
  const failures: unknown[] = [];
  // A resource whose inputs fail (an error in an apply) rejects many derived promises; they
  // are this run's failures, so this run's handler alone sees them (not a test runner's).
  const others = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  const onRejection = (reason: unknown) => failures.push(reason);
  process.on("unhandledRejection", onRejection);
  // The runtime records a stack trace for every promise it creates (for leak reports); with
  // thousands of resources that dominates the run. Errors still carry their messages.
  // Resources also record their source position from a full stack trace; mapping those
  // through source maps (tsx) is the other big cost.
  const stackTraceLimit = Error.stackTraceLimit;
  const sourceMaps = (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled ?? false;
  Error.stackTraceLimit = 0;
  process.setSourceMapsEnabled(false);
  try {
    const config = { ...mockStackConfig(rawCatalog, stack), ...(options.config ?? {}) };
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, v] of Object.entries(config)) {
      if (v === null) continue;
      values[key] = typeof v === "string" ? v : v.secret;
      if (typeof v !== "string") secretKeys.push(key);
    }
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          const inputs = args.inputs as Record<string, unknown>;
          registered.push({
            type: args.type,
            name: args.name,
            inputs: printable(inputs) as Record<string, unknown>,
            secretInputs: Object.keys(inputs).filter((k) => isRpcSecret(inputs[k])).sort(),
          });
          return { id: args.name, state: { ...echoed(inputs), ...computedState(args.type, inputs) } };
        },
        call: (args) => callResult(args.token, args.inputs as Record<string, unknown>, options.probes ?? { ...MOCK_PROBES }),
      },
      PROJECT,
      stack,
      false,
    );
    runtimeConfig.setAllConfig(values, secretKeys);
    let outputs: Record<string, pulumi.Output<unknown>>;
    try {
      outputs = runStack({ customRules: () => options.customRules ?? {} });
    } catch (e) {
      throw new MockRunFailure(e, sortResources(registered));
    }
    await settle(failures);
    if (failures.length) throw new MockRunFailure(failures[0], sortResources(registered));
    const resolved = await resolveOutputs(outputs);
    return { resources: sortResources(registered), outputs: resolved.values, secretOutputs: resolved.secret };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    process.setSourceMapsEnabled(sourceMaps);
    process.off("unhandledRejection", onRejection);
    for (const listener of others) process.on("unhandledRejection", listener);
  }
}

/** Waits until every registration finished and no further rejection arrives. */
async function settle(failures: unknown[]): Promise<void> {
  const waitForRPCs = (runtimeSettings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs;
  let seen = -1;
  let quietRounds = 0;
  while (quietRounds < 3) {
    await waitForRPCs();
    await new Promise((resolve) => setImmediate(resolve));
    quietRounds = failures.length === seen ? quietRounds + 1 : 0;
    seen = failures.length;
  }
}

function sortResources(resources: RegisteredResource[]): RegisteredResource[] {
  return [...resources].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
