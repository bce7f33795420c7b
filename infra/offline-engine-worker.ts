/**
 * The offline engine's own thread: runs the Pulumi program under `pulumi.runtime.setMocks`
 * inside a root stack (`runInPulumiStack`, as the Pulumi language host does), checks every
 * registered resource against the provider facts, and posts back what was registered.
 *
 * Everything process-like it changes (the Pulumi runtime's globals, the unhandled-rejection
 * listener that collects a run's asynchronous failures the way the language host does,
 * `Error.stackTraceLimit`) belongs to this worker thread, never to the caller's.
 */
import { parentPort } from "node:worker_threads";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "./config";
import { checkResource, ProviderFactsError, type FactViolation } from "./provider-facts";
import { runStack } from "./run";
import type { EngineReply, EngineRequest, MockRun, RegisteredResource } from "./offline-engine-protocol";
import { PLACEHOLDER_SECRET_PREFIX, SECRET_MARK, serializeError } from "./offline-engine-protocol";

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";
/** The engine refuses a second resource with one URN (type and name, under the same parent type). */
const DUPLICATE_URN = {
  says: "is registered twice (one type and name make one URN)",
  source: { repo: "pulumi/pulumi", ref: "", path: "pkg/diag/errors.go", at: "GetDuplicateResourceURNError" },
};

function isRpcSecret(v: unknown): v is { value: unknown } {
  return (
    !!v &&
    typeof v === "object" &&
    (v as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig
  );
}

/** Engine-side inputs → printable: secrets masked, keys sorted. */
function printable(value: unknown): unknown {
  if (isRpcSecret(value)) return SECRET_MARK;
  if (Array.isArray(value)) return value.map(printable);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(obj)
        .sort()
        .map((k) => [k, printable(obj[k])]),
    );
  }
  return value;
}

/** Engine-side inputs with secrets unwrapped, for the provider-facts check (which reports fields, never values). */
function plain(value: unknown): unknown {
  if (isRpcSecret(value)) return plain(value.value);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** Inputs nothing reads back but which are large (rule lists, dashboard JSON): not echoed as outputs, to keep big runs fast. */
const UNREAD_LARGE_INPUTS = new Set(["rules", "configJson"]);

/** Outputs a resource reports that are not inputs: what the real provider computes. */
function computedState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case "grafana:oss/dashboard:Dashboard":
      return { uid: (JSON.parse(String(inputs.configJson)) as { uid: string }).uid };
    case "grafana:oss/serviceAccountToken:ServiceAccountToken":
      return { key: `${PLACEHOLDER_SECRET_PREFIX}deploy-token` };
    case "docker:index/remoteImage:RemoteImage":
      return { imageId: `sha256:offline-${name}` };
    default:
      return {};
  }
}

function callResult(
  token: string,
  inputs: Record<string, unknown>,
  probes: Record<string, number>,
): Record<string, unknown> {
  switch (token) {
    case "grafana:syntheticMonitoring/getProbes:getProbes":
      return { id: "probes", filterDeprecated: true, probes };
    case "vercel:index/getProject:getProject":
      return { id: `prj_mock${String(inputs.name).replace(/[^A-Za-z0-9]/g, "")}`, ...inputs };
    default:
      return { id: token, ...inputs };
  }
}

async function resolveOutputs(
  outputs: Record<string, pulumi.Output<unknown>>,
): Promise<{ values: Record<string, unknown>; secret: string[] }> {
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

function sortResources(resources: RegisteredResource[]): RegisteredResource[] {
  return [...resources].sort((a, b) =>
    a.type < b.type ? -1 : a.type > b.type ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
}

/** Waits until every registration finished and no further rejection arrives. */
async function settle(failures: unknown[]): Promise<void> {
  let seen = -1;
  let quietRounds = 0;
  while (quietRounds < 3) {
    await pulumi.runtime.disconnect();
    await new Promise((resolve) => setImmediate(resolve));
    quietRounds = failures.length === seen ? quietRounds + 1 : 0;
    seen = failures.length;
  }
}

/** A run's failures: the program's asynchronous errors (as the language host sees them). */
const failures: unknown[] = [];
process.on("unhandledRejection", (reason) => failures.push(reason));
// The runtime records a stack trace for every promise and resource it creates; with thousands of
// resources that dominates a run. This thread's errors keep their messages.
Error.stackTraceLimit = 0;

async function run(request: EngineRequest): Promise<EngineReply> {
  failures.length = 0;
  const registered: RegisteredResource[] = [];
  const violations: FactViolation[] = [];
  const seen = new Set<string>();
  const { stack, config, customRules, probes, stackTransformations } = request;
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
        if (args.type !== ROOT_STACK_TYPE) {
          registered.push({
            type: args.type,
            name: args.name,
            inputs: printable(inputs) as Record<string, unknown>,
            secretInputs: Object.keys(inputs)
              .filter((k) => isRpcSecret(inputs[k]))
              .sort(),
          });
          violations.push(...checkResource(args.type, args.name, plain(inputs) as Record<string, unknown>));
          const key = JSON.stringify([args.type, args.name]);
          if (seen.has(key)) violations.push({ type: args.type, name: args.name, field: "", ...DUPLICATE_URN });
          seen.add(key);
        }
        const echoed = Object.fromEntries(Object.entries(inputs).filter(([k]) => !UNREAD_LARGE_INPUTS.has(k)));
        return { id: args.name, state: { ...echoed, ...computedState(args.type, args.name, inputs) } };
      },
      call: (args) => callResult(args.token, args.inputs as Record<string, unknown>, probes),
    },
    PROJECT,
    stack,
    false,
  );
  pulumi.runtime.setAllConfig(values, secretKeys);
  let outputs: Record<string, pulumi.Output<unknown>> = {};
  const fail = (error: unknown): EngineReply => ({
    ok: false,
    error: serializeError(error),
    resources: sortResources(registered),
  });
  try {
    await pulumi.runtime.runInPulumiStack(() => {
      for (const path of stackTransformations) {
        // A module path known only at run time; this thread has tsx's CommonJS hook, not its ESM loader.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const planted = require(path) as { transformation: pulumi.ResourceTransformation };
        pulumi.runtime.registerStackTransformation(planted.transformation);
      }
      outputs = runStack({ customRules: () => customRules });
      return Promise.resolve(undefined);
    });
  } catch (e) {
    return fail(e);
  }
  await settle(failures);
  if (failures.length) return fail(failures[0]);
  if (violations.length) return fail(new ProviderFactsError(violations));
  const resolved = await resolveOutputs(outputs);
  const result: MockRun = {
    resources: sortResources(registered),
    outputs: resolved.values,
    secretOutputs: resolved.secret,
  };
  return { ok: true, run: result };
}

parentPort!.on("message", (request: EngineRequest) => {
  run(request).then(
    (reply) => parentPort!.postMessage(reply),
    (e: unknown) =>
      parentPort!.postMessage({ ok: false, error: serializeError(e), resources: [] } satisfies EngineReply),
  );
});
