/**
 * Runs the real Pulumi program (`runStack`: catalog validation, stack settings, every section)
 * against a mocked engine, with no network and no Pulumi CLI, and returns what it registered.
 * `plan`, the tests and the bench use it. Every registered resource is checked against the
 * provider facts (`provider-facts.ts`), so a run fails where `pulumi preview` would.
 *
 * The program runs in a worker thread of its own (`offline-engine-worker.ts`): the Pulumi
 * runtime's globals and the listeners that collect a run's failures never touch the caller's
 * process. Stack config is faked from the catalog: every secret the program reads gets a
 * placeholder value marked secret; callers override or remove keys to test bad configuration.
 * Secret inputs come back as `"[secret]"`, never their value. Runs are queued one after another.
 */
import { join } from "node:path";
import { SHARE_ENV, Worker } from "node:worker_threads";
import { withoutGrafanaUrl, withStackGrafanaUrl } from "../catalog/load";
import type { Catalog } from "../catalog/model";
import { validateCatalog } from "../catalog/validate";
import { githubActionsSpecs, secretConfigKeys } from "../env/github-actions";
import { catalogSecretKey, CONFIG_KEY, targetOf } from "./config";
import {
  deserializeError,
  PLACEHOLDER_SECRET_PREFIX,
  type ConfigValue,
  type EngineReply,
  type EngineRequest,
  type MockRun,
  type RegisteredResource,
} from "./offline-engine-protocol";
import { SM_PUBLIC_PROBES } from "../catalog/sm-probes";
import { directPlan } from "./direct-plan";

export {
  PLACEHOLDER_SECRET_PREFIX,
  SECRET_MARK,
  type ConfigValue,
  type MockRun,
  type RegisteredResource,
} from "./offline-engine-protocol";

/** Synthetic Monitoring public probes the mocked `getProbes` returns, name → id. */
export const MOCK_PROBES: Readonly<Record<string, number>> = Object.fromEntries(
  SM_PUBLIC_PROBES.map((n, i) => [n, i + 1]),
);

/** The catalog's `synthetics.private_probes`, given ids after the public ones, as a real stack would list them. */
function privateProbes(rawCatalog: unknown): Record<string, number> {
  const names = (rawCatalog as { synthetics?: { private_probes?: unknown } } | undefined)?.synthetics?.private_probes;
  const offset = SM_PUBLIC_PROBES.length + 1;
  return Array.isArray(names)
    ? Object.fromEntries(names.filter((n) => typeof n === "string").map((n, i) => [n, offset + i]))
    : {};
}

export interface MockRunOptions {
  /** Hand-written rule files, by name (default none). */
  customRules?: Record<string, string>;
  /** Stack config on top of the faked defaults (`grafana:url`, `ops-monitoring:slackWebhookUrl`, ...). */
  config?: Record<string, ConfigValue>;
  /** Probes `getProbes` returns (default `MOCK_PROBES`). */
  probes?: Record<string, number>;
  /**
   * Modules exporting `transformation` (a `pulumi.ResourceTransformation`), registered as stack
   * transformations before the program runs, as a user's program could.
   */
  stackTransformations?: string[];
}

/** The run failed (bad catalog or config, a program error, or broken provider facts); `resources` were registered before. */
export class MockRunFailure extends Error {
  constructor(
    readonly cause: unknown,
    readonly resources: RegisteredResource[],
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "MockRunFailure";
  }
}

const placeholder = (key: string): { secret: string } => ({ secret: `${PLACEHOLDER_SECRET_PREFIX}${key}` });

/** The catalog the program reads from stack config `text` (`ops-monitoring:catalog`) and `grafanaUrl` (`grafana:url`). */
export interface ValidatedStackCatalog {
  text: string;
  grafanaUrl: string | undefined;
  catalog: Catalog;
}

/** The catalog's `grafana.url` as a stack file writes it (`grafana:url`): trailing slashes dropped, absent when empty. */
function stackGrafanaUrl(raw: unknown): string | undefined {
  const grafana = (raw as { grafana?: unknown } | null | undefined)?.grafana;
  const url = grafana && typeof grafana === "object" ? (grafana as { url?: unknown }).url : undefined;
  return (typeof url === "string" && url.replace(/\/+$/, "")) || undefined;
}

/**
 * `mockStackConfig`, and the catalog validated from the very config text and Grafana URL it
 * writes, as the program reads them (`run.ts`: `JSON.parse`, `withStackGrafanaUrl`,
 * `validateCatalog`), so `directPlan` need not validate it again.
 */
function mockStack(
  rawCatalog: unknown,
  stack: string,
): { config: Record<string, ConfigValue>; validated?: ValidatedStackCatalog } {
  const whole = JSON.stringify(rawCatalog);
  const config: Record<string, ConfigValue> = { [CONFIG_KEY.catalog]: whole };
  // As a stack file holds it: the Grafana URL once, as grafana:url.
  const grafanaUrl = stackGrafanaUrl(rawCatalog);
  const text = grafanaUrl === undefined ? whole : JSON.stringify(withoutGrafanaUrl(rawCatalog));
  let catalog;
  try {
    catalog = validateCatalog(withStackGrafanaUrl(JSON.parse(text) as unknown, grafanaUrl));
  } catch {
    return { config };
  }
  if (grafanaUrl !== undefined) {
    config[CONFIG_KEY.catalog] = text;
    config[CONFIG_KEY.grafanaUrl] = grafanaUrl;
  }
  if (targetOf(stack) === "prod") {
    config[CONFIG_KEY.grafanaAuth] = placeholder(CONFIG_KEY.grafanaAuth);
    config[CONFIG_KEY.prometheusDatasourceUid] = "grafanacloud-prom";
    config[CONFIG_KEY.smUrl] = "https://synthetic-monitoring-api.grafana.example.com";
    config[CONFIG_KEY.smAccessToken] = placeholder(CONFIG_KEY.smAccessToken);
    for (const spec of githubActionsSpecs(catalog)) {
      if ("config" in spec.source)
        config[catalogSecretKey(spec.source.config)] =
          spec.kind === "secret" ? placeholder(spec.source.config) : `value-of-${spec.source.config}`;
    }
  }
  for (const name of secretConfigKeys(catalog)) config[catalogSecretKey(name)] = placeholder(name);
  return { config, validated: { text, grafanaUrl, catalog } };
}

/**
 * Default stack config for `rawCatalog` on `stack`: what a correctly configured stack holds,
 * with placeholder secrets. An invalid catalog gets only the catalog key (the program reports it).
 */
export function mockStackConfig(rawCatalog: unknown, stack: string): Record<string, ConfigValue> {
  return mockStack(rawCatalog, stack).config;
}

/**
 * The program allocates short-lived promises and serialised inputs by the million; a young
 * generation larger than V8's default lets most of them die there instead of being promoted
 * (CPU of plan at 1000 services about 10% lower).
 */
const YOUNG_GENERATION_MB = 64;

let worker: Worker | undefined;
let pending: ((reply: EngineReply) => void) | undefined;

function engineThread(): Worker {
  if (worker) return worker;
  const boot = `require(${JSON.stringify(require.resolve("tsx/cjs/api"))}).register(); require(${JSON.stringify(join(__dirname, "offline-engine-worker.ts"))});`;
  // The program reads the caller's environment as it is at each run (GITHUB_TOKEN), not a copy from the thread's start.
  const thread = new Worker(boot, {
    eval: true,
    env: SHARE_ENV,
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  thread.on("message", (reply: EngineReply) => {
    const resolve = pending;
    pending = undefined;
    thread.unref();
    resolve?.(reply);
  });
  const crashed = (message: string) => {
    worker = undefined;
    const resolve = pending;
    pending = undefined;
    resolve?.({
      ok: false,
      error: { kind: "other", name: "Error", message: `offline engine crashed: ${message}` },
      resources: [],
    });
  };
  thread.on("error", (e) => crashed(e.message));
  thread.on("exit", (code) => crashed(`its thread exited (code ${code})`));
  worker = thread;
  return thread;
}

function runInThread(request: EngineRequest): Promise<EngineReply> {
  return new Promise((resolve) => {
    const thread = engineThread();
    pending = resolve;
    thread.ref();
    thread.postMessage(request);
  });
}

let queue: Promise<unknown> = Promise.resolve();

/** What the engine runs for `rawCatalog` on `stack`: the faked stack config with `options` on top. */
export function engineRequest(rawCatalog: unknown, stack: string, options: MockRunOptions = {}): EngineRequest {
  return engineRequestAndCatalog(rawCatalog, stack, options).request;
}

/** `engineRequest`, and the catalog validated from its faked catalog config when that validates (`mockStack`). */
export function engineRequestAndCatalog(
  rawCatalog: unknown,
  stack: string,
  options: MockRunOptions = {},
): { request: EngineRequest; validated?: ValidatedStackCatalog } {
  const { config, validated } = mockStack(rawCatalog, stack);
  const request = {
    stack,
    config: { ...config, ...(options.config ?? {}) },
    customRules: options.customRules ?? {},
    probes: options.probes ?? { ...MOCK_PROBES, ...privateProbes(rawCatalog) },
    stackTransformations: options.stackTransformations ?? [],
  };
  return { request, validated };
}

/**
 * Runs the program for `rawCatalog` (the `ops-monitoring:catalog` object, as written) on stack
 * `stack` (`prod`, `local`, ...). Rejects with `MockRunFailure` when the program fails or a
 * registered resource breaks a provider fact (`ProviderFactsError`).
 */
export function runProgramUnderMocks(
  rawCatalog: unknown,
  stack: string,
  options: MockRunOptions = {},
): Promise<MockRun> {
  const request = engineRequest(rawCatalog, stack, options);
  const run = queue
    .then(() => runInThread(request))
    .then((reply) => {
      if (!reply.ok) throw new MockRunFailure(deserializeError(reply.error), reply.resources);
      return reply.run;
    });
  queue = run.catch(() => undefined);
  return run;
}

/**
 * What `runProgramUnderMocks` returns, fast: a prod-target stack is computed directly
 * (`direct-plan.ts`, proved identical to the program by `test/infra/direct-plan.test.ts`); the
 * local stack, stack transformations and every failing run go through the real program, so a
 * failure is reported exactly as the program reports it.
 */
export async function planStack(rawCatalog: unknown, stack: string, options: MockRunOptions = {}): Promise<MockRun> {
  const { request, validated } = engineRequestAndCatalog(rawCatalog, stack, options);
  if (targetOf(stack) === "prod" && request.stackTransformations.length === 0) {
    let direct: ReturnType<typeof directPlan> | undefined;
    try {
      direct = directPlan(request, validated);
    } catch {
      // reported by the program below
    }
    if (direct) {
      for (const warning of direct.warnings) console.warn(warning);
      return direct.run;
    }
  }
  return runProgramUnderMocks(rawCatalog, stack, options);
}
