/** A test that cannot run its tool fails with the install command; nothing is skipped or passes on a missing binary. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../helpers/catalogs";
import { requireTool } from "../helpers/tools";

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

test("without promtool on PATH a test that needs it fails naming the install command", () => {
  assert.throws(
    () => requireTool("promtool", "/nonexistent"),
    /promtool is not on PATH; install it with: .*(apt-get install -y prometheus|brew install prometheus)/,
  );
});

test("no test skips itself or tolerates a missing binary's exit code", () => {
  const forbidden = [".sk" + "ip(", "{ sk" + "ip:", "to" + "do(", "=== 1" + "27", "!== 1" + "27"];
  const offenders = testFiles(join(ROOT, "test")).flatMap((file) => {
    const text = readFileSync(file, "utf8");
    return forbidden.filter((f) => text.includes(f)).map((f) => `${file.slice(ROOT.length + 1)}: ${f}`);
  });
  assert.deepEqual(offenders, []);
});

test("npm test's pretest step fails within a second or two with the install command when the tools are missing and cannot be installed", () => {
  const bin = mkdtempSync(join(tmpdir(), "no-tools-"));
  try {
    symlinkSync(process.execPath, join(bin, "node"));
    const started = Date.now();
    const r = spawnSync(
      join(bin, "node"),
      ["--no-warnings=ExperimentalWarning", "--import", "tsx", "test/preflight.ts"],
      { cwd: ROOT, encoding: "utf8", env: { PATH: bin, HOME: process.env.HOME ?? "/" } },
    );
    const elapsed = Date.now() - started;
    assert.equal(r.status, 1, r.stderr);
    assert.match(
      r.stderr,
      /npm test needs prometheus.*promtool, amtool on PATH; install with:\n {2}\S.*prometheus-alertmanager/s,
    );
    assert.ok(elapsed < 5000, `${elapsed} ms`);
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});
