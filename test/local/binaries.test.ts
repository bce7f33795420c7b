import { strict as assert } from "node:assert";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ensureBinaries, findBinaries, installCommand, MissingBinariesError, missingTools } from "../../local/binaries";

const dir = mkdtempSync(join(tmpdir(), "bins-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function fakeBin(sub: string, name: string): string {
  mkdirSync(join(dir, sub), { recursive: true });
  const p = join(dir, sub, name);
  writeFileSync(p, "#!/bin/sh\n");
  chmodSync(p, 0o755);
  return p;
}

describe("binaries", () => {
  it("finds Debian and upstream names, preferring the first directory on PATH", () => {
    const deb = fakeBin("deb", "prometheus-alertmanager");
    fakeBin("up", "alertmanager");
    const bb = fakeBin("up", "blackbox_exporter");
    const prom = fakeBin("up", "prometheus");
    const bins = findBinaries([join(dir, "deb"), join(dir, "up")].join(":"));
    assert.equal(bins.alertmanager, deb);
    assert.equal(bins.blackbox, bb);
    assert.equal(bins.prometheus, prom);
    assert.deepEqual(missingTools(bins), []);
    assert.deepEqual(missingTools(bins, ["promtool", "amtool"]), ["promtool", "amtool"]);
  });

  it("ignores files that are not executable", () => {
    mkdirSync(join(dir, "noexec"), { recursive: true });
    writeFileSync(join(dir, "noexec", "prometheus"), "");
    assert.equal(findBinaries(join(dir, "noexec")).prometheus, undefined);
  });

  it("prints the install command of each platform", () => {
    const all = ["prometheus", "alertmanager", "blackbox"] as const;
    assert.equal(
      installCommand([...all], { os: "linux", debian: true, root: false }),
      "sudo apt-get update && sudo apt-get install -y prometheus prometheus-alertmanager prometheus-blackbox-exporter",
    );
    assert.equal(
      installCommand(["amtool", "alertmanager"], { os: "linux", debian: true, root: true }),
      "apt-get update && apt-get install -y prometheus-alertmanager",
    );
    assert.equal(
      installCommand([...all], { os: "darwin", debian: false, root: false }),
      "brew install prometheus alertmanager blackbox_exporter",
    );
    assert.match(
      installCommand(["blackbox"], { os: "linux", debian: false, root: false }),
      /prometheus\.io\/download.*blackbox_exporter/,
    );
  });

  it("fails with the install command when it may not install (not root)", () => {
    const saved = process.env.PATH;
    process.env.PATH = join(dir, "empty");
    try {
      const lines: string[] = [];
      assert.throws(
        () => ensureBinaries((l) => lines.push(l), undefined, { os: "linux", debian: true, root: false }),
        (e: unknown) => {
          assert.ok(e instanceof MissingBinariesError);
          assert.match(
            e.message,
            /needs prometheus, prometheus-alertmanager or alertmanager, prometheus-blackbox-exporter or blackbox_exporter/,
          );
          assert.match(
            e.message,
            /sudo apt-get install -y prometheus prometheus-alertmanager prometheus-blackbox-exporter/,
          );
          return true;
        },
      );
      assert.deepEqual(lines, [], "nothing is run without root");
    } finally {
      process.env.PATH = saved;
    }
  });

  it("finds the binaries installed on this machine", () => {
    assert.deepEqual(
      missingTools(findBinaries(), ["prometheus", "alertmanager", "blackbox", "promtool", "amtool"]),
      [],
    );
  });
});
