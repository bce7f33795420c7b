/**
 * `npm test`'s `tsc` and `eslint` checks in one process on one TypeScript program: the same
 * diagnostics as `tsc -p .` and the same lint as `eslint .` (eslint.config.mjs, type-aware), but
 * the type analysis is done once instead of twice (ESLint's parser takes the program through
 * `parserOptions.programs`). Exit 1 if either finds a problem.
 *
 *   node --import tsx test/typecheck-lint.ts
 */
import ts from "typescript";
import { ESLint } from "eslint";
import { join } from "node:path";

const ROOT = join(__dirname, "..");

function program(): ts.Program {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, "tsconfig.json"), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (!config) throw new Error("tsconfig.json could not be read");
  return ts.createProgram({
    rootNames: config.fileNames,
    options: config.options,
    configFileParsingDiagnostics: config.errors,
  });
}

async function main(): Promise<number> {
  const p = program();
  const diagnostics = ts.getPreEmitDiagnostics(p);
  const host: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => ROOT,
    getNewLine: () => "\n",
  };
  if (diagnostics.length) process.stdout.write(ts.formatDiagnostics(diagnostics, host));
  console.log(`tsc: ${diagnostics.length} problems`);

  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfig: { languageOptions: { parserOptions: { projectService: false, programs: [p] } } },
  });
  const results = await eslint.lintFiles(["."]);
  const text = await (await eslint.loadFormatter("stylish")).format(results);
  if (text) process.stdout.write(text);
  const problems = results.reduce((n, r) => n + r.errorCount + r.warningCount, 0);
  console.log(`eslint: ${results.length} files, ${problems} problems`);
  return diagnostics.length || problems ? 1 : 0;
}

void main().then((code) => (process.exitCode = code));
