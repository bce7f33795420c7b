/**
 * One run of the Pulumi program from stack config: the catalog (`ops-monitoring:catalog`) is
 * validated, then the stack settings, and only then are resources registered. `index.ts`
 * runs it under the Pulumi engine, `infra/offline-engine.ts` under a mocked one.
 */
import * as pulumi from "@pulumi/pulumi";
import { withStackGrafanaUrl } from "../catalog/load";
import { validateCatalog } from "../catalog/validate";
import { CONFIG_KEY, PROJECT, pulumiConfigSource, readStackSettings, type ConfigSource } from "./config";
import { defineStack } from "./program";
import { stackContext, type StackOutputs } from "./stack";
import { forPulumiEngine } from "./errors";
import { startRun } from "./secrets";

export interface RunInputs {
  /** Hand-written rule files of a system (`alerts/custom/`), by file name. */
  customRules: (system: string) => Record<string, string>;
  config?: ConfigSource;
}

/** Throws `CatalogError` or `StackConfigError` (nothing registered yet) when the stack config is wrong. */
export function runStack(inputs: RunInputs): StackOutputs {
  startRun();
  const stack = pulumi.getStack();
  const config = inputs.config ?? pulumiConfigSource();
  const where = `${CONFIG_KEY.catalog} (Pulumi.${stack}.yaml)`;
  const raw = withStackGrafanaUrl(
    new pulumi.Config(PROJECT).requireObject<unknown>("catalog"),
    config.get(CONFIG_KEY.grafanaUrl),
    where,
  );
  const catalog = validateCatalog(raw, where);
  const settings = readStackSettings(catalog, stack, config);
  return defineStack(stackContext(catalog, settings, inputs.customRules(catalog.system)));
}

/** `runStack` for `pulumi up`/`preview` (`index.ts`): configuration problems print as one message, no stack trace. */
export function runPulumiProgram(inputs: RunInputs): StackOutputs {
  try {
    return runStack(inputs);
  } catch (e) {
    throw forPulumiEngine(e);
  }
}
