/**
 * Loaded (`--import`) into every test process by `test/census/run.ts`: names the running test in
 * `CENSUS_TEST` (what the tool shims log), and at each test's end records which real-tool
 * processes its file started are still alive, so a test that queries a shared Prometheus counts.
 */
import { appendFileSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { createRequire } from "node:module";

const LOG = process.env.CENSUS_LOG!;
const own = relative(process.cwd(), process.argv.find((a) => a.endsWith(".test.ts")) ?? "?");
/** The file running now: a shared test process (test/worker/main.ts) names it in CENSUS_FILE. */
const current = () => process.env.CENSUS_FILE ?? own;
process.env.CENSUS_TEST = `${own}\t(hook)`;

function aliveTools(file: string): string[] {
  const tools = new Set<string>();
  for (const line of readFileSync(LOG, "utf8").split("\n")) {
    const [kind, pid, tool, testFile] = line.split("\t");
    if (kind !== "spawn" || testFile !== file) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z") tools.add(tool);
    } catch {
      // Exited.
    }
  }
  return [...tools];
}

type TestFn = (...a: unknown[]) => unknown;

function tagged(name: string, fn: TestFn): TestFn {
  const wrapper = function (this: unknown, ...a: unknown[]) {
    const file = current();
    const id = `${file}\t${name}`;
    process.env.CENSUS_TEST = id;
    const finish = () => {
      appendFileSync(LOG, `test\t${process.pid}\t${aliveTools(file).join(",")}\t${id}\n`);
      process.env.CENSUS_TEST = `${file}\t(hook)`;
    };
    return (async () => {
      try {
        return await fn.apply(this, a);
      } finally {
        finish();
      }
    })();
  };
  Object.defineProperty(wrapper, "length", { value: fn.length });
  return wrapper;
}

const registry = createRequire(__filename)("node:test") as Record<string, (...a: unknown[]) => unknown>;
for (const key of ["it", "test"]) {
  const original = registry[key];
  registry[key] = Object.assign(function (this: unknown, ...args: unknown[]) {
    const i = args.findIndex((a) => typeof a === "function");
    if (i >= 0 && typeof args[0] === "string" && (args[i] as TestFn).length < 2)
      args[i] = tagged(args[0], args[i] as TestFn);
    return original.apply(this, args);
  }, original);
}
