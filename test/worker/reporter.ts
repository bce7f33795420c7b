/**
 * The node:test reporter of a shared test process (test/worker/main.ts): each file runs as a
 * top-level suite named for it; this formats the file's results (as the spec reporter prints
 * them) and hands them to the worker when the file's suite ends. Anything outside a file's suite
 * (node:test's own summary and warnings) is printed as it comes.
 */
import { inspect } from "node:util";
import { FILE_DONE, type FileReport } from "./protocol";

interface TestData {
  name: string;
  nesting: number;
  skip?: string | boolean;
  todo?: string | boolean;
  message?: string;
  details?: { duration_ms?: number; type?: string; error?: Error & { cause?: unknown } };
}

const indent = (text: string, by: string) => text.replace(/^(?=.)/gm, by);

async function* workerReporter(source: AsyncIterable<{ type: string; data: TestData }>): AsyncGenerator<string> {
  let report: FileReport = { name: "", ok: true, lines: [], tests: 0, failed: 0 };
  for await (const { type, data } of source) {
    if (type === "test:pass" || type === "test:fail") {
      if (data.nesting === 0) {
        const done = (globalThis as Record<symbol, ((r: FileReport) => void) | undefined>)[FILE_DONE];
        if (type === "test:fail" && !report.failed) report.lines.push(failure(data, ""));
        done?.({ ...report, name: data.name, ok: type === "test:pass" });
        report = { name: "", ok: true, lines: [], tests: 0, failed: 0 };
        continue;
      }
      const pad = "  ".repeat(data.nesting - 1);
      const suite = data.details?.type === "suite";
      if (!suite) report.tests++;
      if (type === "test:fail" && !suite) report.failed++;
      const ms = data.details?.duration_ms ?? 0;
      const note = data.skip !== undefined && data.skip !== false ? " # SKIP" : data.todo ? " # TODO" : "";
      report.lines.push(
        type === "test:pass" ? `${pad}✔ ${data.name} (${ms.toFixed(3)}ms)${note}\n` : failure(data, pad),
      );
    } else if (type === "test:diagnostic") {
      if (data.nesting > 0) report.lines.push(`${"  ".repeat(data.nesting - 1)}ℹ ${data.message}\n`);
      else yield `ℹ ${data.message}\n`;
    }
  }
}

function failure(data: TestData, pad: string): string {
  const error = data.details?.error;
  const cause = error?.cause ?? error;
  return `${pad}✖ ${data.name} (${(data.details?.duration_ms ?? 0).toFixed(3)}ms)\n${indent(inspect(cause, { depth: 4 }), `${pad}  `)}\n`;
}

/** `module.exports` itself: node:test imports a reporter's default export, which is what a CommonJS module exports. */
export = workerReporter;
