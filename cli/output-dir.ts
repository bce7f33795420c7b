/**
 * `render --out DIR` without harm: DIR must be absent, empty, or an earlier render output
 * whose manifest lists every file in it; anything else is refused before a byte is written,
 * so render never deletes what it did not write. The new output is written to a sibling temp
 * dir and swapped in by renames: on any failure DIR keeps its old content, byte for byte.
 */
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Artifacts } from "../artifacts";
import { UsageError } from "./args";
import { writeArtifacts } from "../write-artifacts";

/** The file in a render output listing what render wrote there. */
export const MANIFEST = ".ops-monitoring-render.json";
const GENERATOR = "ops-monitoring render";

/** File operations the swap uses; tests inject failures here. */
export interface OutputIo {
  writeFileSync: typeof writeFileSync;
  renameSync: typeof renameSync;
}

const NODE_IO: OutputIo = { writeFileSync, renameSync };

export function manifestText(artifacts: Artifacts): string {
  return `${JSON.stringify({ generator: GENERATOR, files: Object.keys(artifacts).sort() }, null, 2)}\n`;
}

/** Relative paths of every entry under `dir` (directories too), symlinks not followed. */
function entries(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? [rel, ...entries(join(dir, e.name), rel)] : [rel];
  });
}

/** Files listed by the manifest in `dir`, or undefined when there is no readable manifest. */
function manifestFiles(dir: string): string[] | undefined {
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST), "utf8")) as { generator?: unknown; files?: unknown };
    if (m.generator !== GENERATOR || !Array.isArray(m.files) || !m.files.every((f) => typeof f === "string"))
      return undefined;
    return m.files;
  } catch {
    return undefined;
  }
}

function lexists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

const listed = (paths: string[], max = 5) =>
  paths.slice(0, max).join(", ") + (paths.length > max ? ` and ${paths.length - max} more` : "");

/**
 * Throws a `UsageError` naming what is in the way unless `out` may be replaced: absent,
 * an empty directory, or a render output holding only the files (and their directories) its manifest lists.
 */
export function checkReplaceable(out: string): void {
  const abs = resolve(out);
  if (!existsSync(abs)) {
    if (lexists(abs)) throw new UsageError(`render: --out ${out} is a symbolic link to nothing`);
    return;
  }
  if (!lstatSync(realpathSync(abs)).isDirectory()) throw new UsageError(`render: --out ${out} is not a directory`);
  const present = entries(abs);
  if (present.length === 0) return;
  const files = manifestFiles(abs);
  if (!files) {
    throw new UsageError(
      `render: --out ${out} is not empty and not an earlier render output (it has no ${MANIFEST}); render never deletes files it did not write: choose a new or empty directory`,
    );
  }
  const owned = new Set([
    MANIFEST,
    ...files.flatMap((f) => f.split("/").map((_, i, parts) => parts.slice(0, i + 1).join("/"))),
  ]);
  const notOwned = present.filter((p) => !owned.has(p));
  if (notOwned.length) {
    throw new UsageError(
      `render: --out ${out} holds files render did not write (${listed(notOwned)}); render never deletes them: move them away or choose another directory`,
    );
  }
}

/**
 * Replaces `out` with exactly `artifacts` plus the manifest. Refuses (before writing) what
 * `checkReplaceable` refuses; any later failure removes the temp dir and leaves `out` as it was.
 */
export function replaceOutputDir(out: string, artifacts: Artifacts, io: OutputIo = NODE_IO): void {
  checkReplaceable(out);
  const target = existsSync(resolve(out)) ? realpathSync(resolve(out)) : resolve(out);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const existed = existsSync(target);
  const sibling = (what: string) =>
    join(parent, `.${basename(target)}.${what}-${process.pid}-${randomBytes(4).toString("hex")}`);
  const fresh = sibling("render");
  try {
    mkdirSync(fresh);
  } catch (e) {
    if (existed && swapRefused(e)) return writeInPlace(target, artifacts, io);
    throw e;
  }
  try {
    if (existed) chmodSync(fresh, statSync(target).mode & 0o7777);
    writeArtifacts(fresh, { ...artifacts, [MANIFEST]: manifestText(artifacts) }, io.writeFileSync);
  } catch (e) {
    rmSync(fresh, { recursive: true, force: true });
    throw e;
  }
  if (!existed) {
    try {
      io.renameSync(fresh, target);
    } catch (e) {
      rmSync(fresh, { recursive: true, force: true });
      throw e;
    }
    return;
  }
  const old = sibling("old");
  try {
    io.renameSync(target, old);
  } catch (e) {
    rmSync(fresh, { recursive: true, force: true });
    if (swapRefused(e)) return writeInPlace(target, artifacts, io);
    throw e;
  }
  try {
    io.renameSync(fresh, target);
  } catch (e) {
    renameSync(old, target);
    rmSync(fresh, { recursive: true, force: true });
    throw e;
  }
  rmSync(old, { recursive: true, force: true });
}

/** The swap cannot work here: `out` is a mount point (EBUSY) or its parent is not writable (EACCES, EPERM, EROFS). */
function swapRefused(e: unknown): boolean {
  return ["EBUSY", "EACCES", "EPERM", "EROFS", "EXDEV"].includes((e as NodeJS.ErrnoException).code ?? "");
}

/**
 * The fallback when `out` cannot be swapped: the new files are written inside it, then the files
 * of the previous render that the new one no longer has are removed (only those its manifest
 * lists; `checkReplaceable` made sure nothing else is there). Not atomic: a failure half-way
 * leaves a mix, which the next render replaces.
 */
function writeInPlace(target: string, artifacts: Artifacts, io: OutputIo): void {
  const previous = manifestFiles(target) ?? [];
  writeArtifacts(target, { ...artifacts, [MANIFEST]: manifestText(artifacts) }, io.writeFileSync);
  const dirs = new Set<string>();
  for (const file of previous) {
    if (Object.hasOwn(artifacts, file)) continue;
    rmSync(join(target, file), { force: true });
    for (let d = dirname(file); d !== "."; d = dirname(d)) dirs.add(d);
  }
  for (const d of [...dirs].sort((a, b) => b.length - a.length))
    if (readdirSync(join(target, d)).length === 0) rmdirSync(join(target, d));
}
