/** The test runner behind `npm test`: a failing file or a file that lingers after its last test fails the run. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { ROOT } from "./helpers/catalogs";
import { laneOf, queueOrder, testFiles } from "./lanes";

const runner = (files: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, ["--no-warnings=ExperimentalWarning", "--import", "tsx", "test/run.ts", ...files], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });

test("npm test fails when a file fails or stays alive after its last test, and names both", () => {
  const r = runner(
    ["test/fixtures/lanes/passes.test.ts", "test/fixtures/lanes/fails.test.ts", "test/fixtures/lanes/lingers.test.ts"],
    { TEST_LINGER_S: "4" },
  );
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /✔ test\/fixtures\/lanes\/passes\.test\.ts/);
  assert.match(r.stdout, /left Timeout ×1 open 4 s after its last test result \(limit 4 s\)/);
  assert.match(r.stdout, /✖ 1 of 3 files and checks passed/);
  assert.match(
    r.stdout,
    /failed: test\/fixtures\/lanes\/fails\.test\.ts\n {2}failed: test\/fixtures\/lanes\/lingers\.test\.ts|failed: test\/fixtures\/lanes\/lingers\.test\.ts\n {2}failed: test\/fixtures\/lanes\/fails\.test\.ts/,
  );
});

test("every test file under test/ is found, this one included, and e2e files get their own lane", () => {
  const files = testFiles();
  assert.ok(files.includes("test/run.test.ts"));
  assert.ok(!files.some((f) => f.startsWith("test/fixtures/")));
  assert.equal(laneOf("test/e2e/demo.test.ts"), "e2e");
  assert.equal(laneOf("test/run.test.ts"), "e2e", "mostly idle: waits on the leaked timer of its fixture");
  assert.equal(laneOf("test/a-new-file.test.ts"), "tests");
});

test("the shared processes take the files that mostly wait first, then the costliest as last measured, the rest by name", () => {
  assert.deepEqual(
    queueOrder([
      "test/b.test.ts",
      "test/alerts/semantics.test.ts",
      "test/a.test.ts",
      "test/local/component-faults.test.ts",
      "test/contract/grafana-rule-evaluation.test.ts",
    ]),
    [
      "test/local/component-faults.test.ts",
      "test/contract/grafana-rule-evaluation.test.ts",
      "test/alerts/semantics.test.ts",
      "test/a.test.ts",
      "test/b.test.ts",
    ],
  );
  assert.deepEqual(
    queueOrder(["test/a.test.ts", "test/alerts/semantics.test.ts", "test/b.test.ts"], {
      "test/b.test.ts": 30,
      "test/alerts/semantics.test.ts": 2,
    }),
    ["test/b.test.ts", "test/alerts/semantics.test.ts", "test/a.test.ts"],
    "the CPU seconds npm test measured come before the figures in lanes.ts",
  );
});
