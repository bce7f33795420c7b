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
import { ProviderFactsError } from "./provider-facts";
import { runStack } from "./run";
import type { EngineReply, EngineRequest, MockRun } from "./offline-engine-protocol";
import { SECRET_MARK, serializeError } from "./offline-engine-protocol";
import { callResult, computedState, mockId, Registrations } from "./offline-registry";

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** Inputs nothing reads back but which are large (rule lists, dashboard JSON): not echoed as outputs, to keep big runs fast. */
const UNREAD_LARGE_INPUTS = new Set(["rules", "configJson"]);

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
  const registrations = new Registrations();
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
        if (args.type !== ROOT_STACK_TYPE) registrations.add(args.type, args.name, inputs);
        const echoed = Object.fromEntries(Object.entries(inputs).filter(([k]) => !UNREAD_LARGE_INPUTS.has(k)));
        return { id: mockId(args.name), state: { ...echoed, ...computedState(args.type, args.name, inputs) } };
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
    resources: registrations.sorted(),
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
  if (registrations.violations.length) return fail(new ProviderFactsError(registrations.violations));
  const resolved = await resolveOutputs(outputs);
  const result: MockRun = {
    resources: registrations.sorted(),
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
