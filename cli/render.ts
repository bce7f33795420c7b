/** `render --catalog F --out DIR`: writes every artifact; validation fails before anything is written. */
import { renderArtifacts } from "../artifacts";
import { stringFlag, type Args } from "./args";
import { loadInputs } from "./inputs";
import { replaceOutputDir } from "./output-dir";

export function run(args: Args): number {
  const out = stringFlag(args, "out");
  const { catalog, customRules, path } = loadInputs(args);
  const artifacts = renderArtifacts(catalog, { customRules });
  replaceOutputDir(out, artifacts);
  console.log(`rendered ${Object.keys(artifacts).length} files from ${path} into ${out}`);
  return 0;
}
