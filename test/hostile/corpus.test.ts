/**
 * Every hostile catalog of `test/fixtures/hostile/` is refused by the real command line
 * (`render`, in-process through `cli/dispatch.ts`) with exit code 2, exactly the expected
 * problem lines, and nothing written.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../helpers/cli-in-process";
import { hostileCases, renderArgv } from "../helpers/hostile-corpus";

const cases = hostileCases();

/** stderr without the advisory `warning:` lines a valid catalog may print before its custom rules are checked. */
function problemLines(stderr: string): string[] {
  return stderr.split("\n").filter((l) => !l.startsWith("warning: "));
}

test("the hostile corpus holds at least 150 cases across at least 10 classes", () => {
  assert.ok(cases.length >= 150, `${cases.length} cases`);
  assert.ok(new Set(cases.map((c) => c.class)).size >= 10);
  const names = cases.map((c) => `${c.class}/${c.case}`);
  assert.equal(new Set(names).size, names.length, "case names are unique");
});

for (const c of cases) {
  test(`hostile ${c.class}/${c.case}: render exits ${c.exit ?? 2}, names the field and writes nothing`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "hostile-"));
    try {
      const { argv, out } = renderArgv(c, dir);
      const started = Date.now();
      const run = await runCli(argv);
      assert.ok(Date.now() - started < 20_000, "finishes promptly");
      assert.equal(run.code, c.exit ?? 2, run.stderr || run.stdout);
      const [header, ...lines] = problemLines(run.stderr);
      const expected = c.message.trimEnd().split("\n");
      assert.match(header, new RegExp(`: ${expected.length} problems?$`));
      assert.deepEqual(
        lines.map((l) => l.replace(/^ {2}/, "")),
        expected,
      );
      assert.equal(existsSync(out), false, "render wrote nothing");
      assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+\)?$/m, "no stack trace");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

for (const c of cases.filter((c, i) => i === cases.findIndex((o) => o.class === c.class))) {
  test(`hostile ${c.class}/${c.case}: plan exits ${c.exit ?? 2} with the same problems and registers nothing`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "hostile-plan-"));
    try {
      const { catalog } = renderArgv(c, dir);
      const run = await runCli([
        "plan",
        "--catalog",
        catalog,
        "--stack",
        "prod",
        "--json",
        "--custom-rules",
        join(dir, "custom"),
      ]);
      assert.equal(run.code, c.exit ?? 2, run.stderr);
      assert.deepEqual(
        problemLines(run.stderr)
          .slice(1)
          .map((l) => l.replace(/^ {2}/, "")),
        c.message.trimEnd().split("\n"),
      );
      assert.equal(run.stdout, "", "no resources printed");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
