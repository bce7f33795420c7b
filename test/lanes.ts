/** Which lane a test file runs in; test files are found anew on every run, so a new `*.test.ts` is picked up. */
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = join(__dirname, "..");

/** `e2e`: whole local stacks waiting on alert timings; `slow`: real-tool work left out of `npm run test:unit`. */
export type Lane = "e2e" | "slow" | "tests";

/** Files `npm run test:unit` leaves to `npm test`: each runs the real tools for tens of seconds. */
const SLOW = new Set<string>([]);

export function laneOf(file: string): Lane {
  if (file.startsWith("test/e2e/")) return "e2e";
  return SLOW.has(file) ? "slow" : "tests";
}

/** Every `*.test.ts` under test/, relative to the repository root, sorted. */
export function testFiles(): string[] {
  return readdirSync(join(ROOT, "test"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".test.ts") && !f.split("/").includes("fixtures"))
    .map((f) => relative(ROOT, join(ROOT, "test", f)))
    .sort();
}
