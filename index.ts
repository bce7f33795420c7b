/**
 * Pulumi entry point (`Pulumi.yaml` main): validates the catalog and the stack settings, then
 * registers every resource of the stack. Problems are reported as one readable message
 * before any resource exists.
 */
import * as pulumi from "@pulumi/pulumi";
import { CatalogError } from "./catalog/diagnostics";
import { CUSTOM_RULES_DIR, readCustomRules } from "./alerts/custom-files";
import { StackConfigError } from "./infra/config";
import type { StackOutputs } from "./infra/stack";
import { runStack } from "./infra/run";

function program(): StackOutputs {
  try {
    return runStack({ customRules: (system) => readCustomRules(CUSTOM_RULES_DIR, system) });
  } catch (e) {
    // RunError prints just the message: no stack trace for a configuration mistake.
    if (e instanceof CatalogError || e instanceof StackConfigError) throw new pulumi.RunError(e.message);
    throw e;
  }
}

export = program();
