/**
 * `diff --base REF [--catalog F] [--custom-rules DIR]`: renders the catalog and `alerts/custom/`
 * as they are at git REF and in the working tree, and prints the semantic difference, one line
 * per change. Exit 0 when identical, 1 when something changed. Needs no credentials.
 */
import { diffModels, EMPTY_MODEL, monitoringModel, type MonitoringModel } from "../diff";
import { catalogPath, stringFlag, type Args } from "./args";
import { inputsAt } from "./at-ref";
import { customRulesDir, loadInputs } from "./inputs";

/** The catalog and custom rule files as they are at `ref`; a catalog absent at `ref` gives the empty model. */
function modelAt(
  ref: string,
  catalogFile: string,
  customDir: string,
  workingCustomRules: Record<string, string>,
): MonitoringModel {
  const inputs = inputsAt("diff", ref, catalogFile, customDir, workingCustomRules);
  return inputs ? monitoringModel(inputs.catalog, inputs.customRules) : EMPTY_MODEL;
}

export function run(args: Args): number {
  const ref = stringFlag(args, "base");
  const customDir = customRulesDir(args, catalogPath(args));
  const { catalog, customRules, path } = loadInputs(args);
  const after = monitoringModel(catalog, customRules);
  const before = modelAt(ref, catalogPath(args), customDir, customRules);
  const lines = diffModels(before, after);
  if (!lines.length) {
    console.log(`no changes in the rendered monitoring between ${ref} and the working tree (${path})`);
    return 0;
  }
  for (const line of lines) console.log(line);
  return 1;
}
