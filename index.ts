/**
 * Pulumi entry point (`Pulumi.yaml` main): validates the catalog and the stack settings, then
 * registers every resource of the stack. Problems are reported as one readable message
 * before any resource exists.
 */
import * as pulumi from "@pulumi/pulumi";
import { CatalogError } from "./catalog/diagnostics";
import { validateCatalog } from "./catalog/validate";
import { CUSTOM_RULES_DIR, readCustomRules } from "./cli/inputs";
import { CONFIG_KEY, PROJECT, readStackSettings, StackConfigError } from "./infra/config";
import { defineStack, stackContext, type StackOutputs } from "./infra/program";

function program(): StackOutputs {
  try {
    const raw = new pulumi.Config(PROJECT).requireObject<unknown>("catalog");
    const catalog = validateCatalog(raw, `${CONFIG_KEY.catalog} (Pulumi.${pulumi.getStack()}.yaml)`);
    const settings = readStackSettings(catalog, pulumi.getStack());
    return defineStack(stackContext(catalog, settings, readCustomRules(CUSTOM_RULES_DIR, catalog.system)));
  } catch (e) {
    // RunError prints just the message: no stack trace for a user's config mistake.
    if (e instanceof CatalogError || e instanceof StackConfigError) throw new pulumi.RunError(e.message);
    throw e;
  }
}

export = program();
