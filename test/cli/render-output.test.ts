/**
 * `render --out DIR` never deletes what it did not write and replaces its own earlier output
 * atomically: refused directories and failed writes leave DIR byte-identical.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { renderArtifacts } from "../../artifacts";
import { validateCatalog } from "../../catalog/validate";
import { MANIFEST, replaceOutputDir } from "../../cli/output-dir";
import { BIN, GOOD, ROOT } from "../helpers/catalogs";
import { cli as inProcess } from "../helpers/cli-in-process";
import { writeArtifacts } from "../../write-artifacts";

const scratch = mkdtempSync(join(tmpdir(), "render-output-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

const cli = (...args: string[]) => inProcess(args, { cwd: ROOT });

/** Every file under `dir` (relative path → bytes, base64), for byte-identical comparisons. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), rel);
      else out[rel] = readFileSync(join(d, e.name)).toString("base64");
    }
  };
  walk(dir, "");
  return out;
}

let n = 0;
/** A fresh parent dir (so leftover temp siblings would show) and the output path inside it. */
function outDir(): { parent: string; out: string } {
  const parent = join(scratch, `case-${n++}`);
  mkdirSync(parent);
  return { parent, out: join(parent, "out") };
}

const catalog = (services: string[]) =>
  validateCatalog({
    system: "acme",
    services: services.map((name) => ({ name, kind: "api", health: { url: `https://${name}.example.com/health` } })),
  });

describe("render --out", () => {
  it("refuses a copy of the repository root, exits 2 and leaves its dashboards/*.ts byte-identical", async () => {
    const { parent, out } = outDir();
    mkdirSync(out);
    for (const f of ["dashboards", "package.json", "README.md"])
      cpSync(join(ROOT, f), join(out, f), { recursive: true });
    const before = snapshot(out);
    assert.ok(Object.keys(before).filter((f) => /^dashboards\/.*\.ts$/.test(f)).length >= 3);
    const r = await cli("render", "--catalog", join(GOOD, "all-kinds", "catalog.yaml"), "--out", out);
    assert.equal(r.status, 2, r.stderr);
    assert.match(
      r.stderr,
      /--out .*out is not empty and not an earlier render output \(it has no \.ops-monitoring-render\.json\); render never deletes files it did not write/,
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    assert.deepEqual(snapshot(out), before);
    assert.deepEqual(readdirSync(parent), ["out"], "no temp dir left beside it");
  });

  it("replaces its own earlier output: files no longer rendered disappear, the manifest lists exactly what is there", async () => {
    const { parent, out } = outDir();
    const cat = join(parent, "catalog.yaml");
    const job = "  - { name: nightly, kind: job, heartbeat: 1h }\n";
    // Without a service following the job convention there are no shared recording rules.
    writeFileSync(cat, `system: acme\nservices:\n  - { name: web, kind: frontend }\n${job}`);
    assert.equal((await cli("render", "--catalog", cat, "--out", out)).status, 0);
    assert.ok(readdirSync(join(out, "prometheus", "rules")).includes("acme-shared-records.yml"));
    writeFileSync(cat, `system: acme\nservices:\n${job}`);
    const r = await cli("render", "--catalog", cat, "--out", out);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!readdirSync(join(out, "prometheus", "rules")).includes("acme-shared-records.yml"));
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST), "utf8")) as { files: string[] };
    assert.deepEqual([...manifest.files, MANIFEST].sort(), Object.keys(snapshot(out)).sort());
    assert.deepEqual(readdirSync(parent).sort(), ["catalog.yaml", "out"]);
  });

  it("refuses an earlier output to which a file was added, naming the file, and changes nothing", async () => {
    const { out } = outDir();
    replaceOutputDir(out, renderArtifacts(catalog(["web"])));
    writeFileSync(join(out, "dashboards", "notes.md"), "mine");
    const before = snapshot(out);
    const r = await cli("render", "--catalog", join(GOOD, "minimal", "catalog.yaml"), "--out", out);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /holds files render did not write \(dashboards\/notes\.md\)/);
    assert.deepEqual(snapshot(out), before);
  });

  it("writes into an empty directory and refuses a path that is a file", async () => {
    const { out } = outDir();
    mkdirSync(out);
    assert.equal((await cli("render", "--catalog", join(GOOD, "minimal", "catalog.yaml"), "--out", out)).status, 0);
    assert.ok(statSync(join(out, "prometheus", "prometheus.yml")).isFile());
    const file = join(dirname(out), "file");
    writeFileSync(file, "x");
    const r = await cli("render", "--catalog", join(GOOD, "minimal", "catalog.yaml"), "--out", file);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /is not a directory/);
    assert.equal(readFileSync(file, "utf8"), "x");
  });

  it("refuses an empty --out (the working directory) and a dangling symbolic link, changing nothing", async () => {
    const { parent, out } = outDir();
    mkdirSync(out);
    writeFileSync(join(out, "mine.txt"), "mine");
    const r = spawnSync(BIN, ["render", "--catalog", join(GOOD, "minimal", "catalog.yaml"), "--out="], {
      encoding: "utf8",
      cwd: out,
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /is not empty and not an earlier render output/);
    assert.deepEqual(readdirSync(out), ["mine.txt"]);
    const link = join(parent, "link");
    symlinkSync(join(parent, "nowhere"), link);
    const l = await cli("render", "--catalog", join(GOOD, "minimal", "catalog.yaml"), "--out", link);
    assert.equal(l.status, 2);
    assert.match(l.stderr, /is a symbolic link to nothing/);
    assert.deepEqual(readdirSync(parent).sort(), ["link", "out"]);
  });

  it("leaves the previous output byte-identical and no temp dir behind when a write fails half-way", () => {
    const { parent, out } = outDir();
    replaceOutputDir(out, renderArtifacts(catalog(["web", "api"])));
    const before = snapshot(out);
    const next = renderArtifacts(catalog(["web", "api", "checkout"]));
    let writes = 0;
    const failing = ((file: string, data: string) => {
      if (++writes > Object.keys(next).length / 2)
        throw Object.assign(new Error(`ENOSPC: no space left on device, write '${file}'`), { code: "ENOSPC" });
      writeFileSync(file, data);
    }) as typeof writeFileSync;
    assert.throws(() => replaceOutputDir(out, next, { writeFileSync: failing, renameSync }), /ENOSPC/);
    assert.ok(writes > 3, "the failure came after some files were written");
    assert.deepEqual(snapshot(out), before);
    assert.deepEqual(readdirSync(parent), ["out"]);
  });

  it("restores the previous output when the new one cannot be moved into place", () => {
    const { parent, out } = outDir();
    replaceOutputDir(out, renderArtifacts(catalog(["web"])));
    const before = snapshot(out);
    let renames = 0;
    const failing = ((from: string, to: string) => {
      if (++renames === 2) throw Object.assign(new Error("EXDEV: cross-device link not permitted"), { code: "EXDEV" });
      renameSync(from, to);
    }) as typeof renameSync;
    assert.throws(
      () => replaceOutputDir(out, renderArtifacts(catalog(["web", "api"])), { writeFileSync, renameSync: failing }),
      /EXDEV/,
    );
    assert.equal(renames, 2, "the old output was moved aside, then the swap failed");
    assert.deepEqual(snapshot(out), before);
    assert.deepEqual(readdirSync(parent), ["out"]);
  });
});

describe("writing artifacts", () => {
  it("refuses, before writing any file, a path that would leave the directory", () => {
    for (const bad of ["prometheus/rules/x/../../../../pwned.yml", "/etc/pwned.yml", "a//b.yml", "a\\..\\b.yml"]) {
      const { parent, out } = outDir();
      mkdirSync(out);
      assert.throws(
        () => writeArtifacts(out, { "a.yml": "first\n", [bad]: "x\n" }),
        (e: Error) => e.message.startsWith(`refusing to write ${JSON.stringify(bad)}:`),
      );
      assert.deepEqual(readdirSync(out), [], bad);
      assert.deepEqual(readdirSync(parent), ["out"], bad);
    }
  });
});

describe("render --out that cannot be swapped", () => {
  it("writes inside a mount point (EBUSY on the swap): the new files, the removed service's gone, nothing foreign touched", () => {
    const { parent, out } = outDir();
    replaceOutputDir(out, renderArtifacts(catalog(["web", "api"])));
    const next = renderArtifacts(catalog(["web"]));
    const busy = ((from: string, to: string) => {
      if (from === out)
        throw Object.assign(new Error(`EBUSY: resource busy or locked, rename '${from}'`), { code: "EBUSY" });
      renameSync(from, to);
    }) as typeof renameSync;
    replaceOutputDir(out, next, { writeFileSync, renameSync: busy });
    const files = Object.keys(snapshot(out)).sort();
    assert.deepEqual(files, [MANIFEST, ...Object.keys(next)].sort());
    assert.ok(!files.some((f) => f.includes("-api.yml")), "the removed service's rule file is gone");
    assert.deepEqual(readdirSync(parent), ["out"], "no temp dir left beside it");
  });

  it("keeps a 0700 --out 0700 through the swap", () => {
    const { out } = outDir();
    mkdirSync(out, { mode: 0o700 });
    replaceOutputDir(out, renderArtifacts(catalog(["web"])));
    assert.equal(statSync(out).mode & 0o777, 0o700);
    replaceOutputDir(out, renderArtifacts(catalog(["web", "api"])));
    assert.equal(statSync(out).mode & 0o777, 0o700);
  });
});
