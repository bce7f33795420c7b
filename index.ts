/**
 * Pulumi entry point (`Pulumi.yaml` main): validates the catalog and the stack settings, then
 * registers every resource of the stack. Problems are reported as one readable message
 * before any resource exists.
 */
import { CUSTOM_RULES_DIR, readCustomRules } from "./alerts/custom-files";
import { runPulumiProgram } from "./infra/run";

export = runPulumiProgram({ customRules: (system) => readCustomRules(CUSTOM_RULES_DIR, system) });
