/**
 * Hand-written Prometheus rule files on disk. They belong to a catalog by place: the
 * `alerts/custom/` directory beside the catalog file, `*.yml` there for that catalog and
 * everything below `<system>/` when its system matches (sub-directories included, so a
 * published rule set is dropped in as a directory). So this repository's
 * `alerts/custom/prospectpro/` applies to its own `Pulumi.prod.yaml`, never to a user's catalog
 * elsewhere that happens to be called prospectpro.
 */
import { closeSync, constants, existsSync, fstatSync, openSync, readdirSync, readSync, type Stats } from "node:fs";
import { CatalogError, type Diagnostic } from "../catalog/diagnostics";
import { dirname, join, resolve } from "node:path";

/** The repository's own hand-written rules directory (`alerts/custom`), beside its `Pulumi.<stack>.yaml` files. */
export const CUSTOM_RULES_DIR = join(__dirname, "custom");

/** The hand-written rules directory of a catalog file: `alerts/custom` in the file's directory. */
export function customRulesDirFor(catalogFile: string): string {
  return join(dirname(resolve(catalogFile)), "alerts", "custom");
}

/** Largest hand-written rule file read (a group of 12,000 rules is about 3 MB). */
export const MAX_RULE_FILE_BYTES = 16 * 1024 * 1024;

/** What a non-regular file is, for messages. */
function kind(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "not a file";
}

/**
 * The text of a regular file of at most MAX_RULE_FILE_BYTES, or why not. Opened without
 * blocking (a FIFO never hangs) and checked on the open descriptor, so a symlink swapped to
 * /dev/zero after a check is still refused; symlinks to regular files are read.
 */
function readRuleFile(path: string): { text: string } | { problem: string } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { problem: `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { problem: `is ${kind(st)}, not a regular file` };
    if (st.size > MAX_RULE_FILE_BYTES)
      return {
        problem: `is ${st.size} bytes; rule files may have at most ${MAX_RULE_FILE_BYTES} (${MAX_RULE_FILE_BYTES / 1024 / 1024} MiB)`,
      };
    const buffer = Buffer.alloc(st.size + 1);
    let size = 0;
    for (let n; size < buffer.length && (n = readSync(fd, buffer, size, buffer.length - size, null)) > 0;) size += n;
    if (size > st.size) return { problem: "changed while being read" };
    return { text: buffer.toString("utf8", 0, size) };
  } finally {
    closeSync(fd);
  }
}

const YAML_FILE = /\.ya?ml$/;

/**
 * `*.yml` files under `dir` into `out` (sub-directories too when `recursive`); a YAML-named entry
 * that is not a regular file of at most MAX_RULE_FILE_BYTES is a problem naming it, never skipped.
 */
function yamlFiles(
  dir: string,
  prefix: string,
  recursive: boolean,
  out: Record<string, string>,
  problems: Diagnostic[],
): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (recursive && entry.isDirectory())
      yamlFiles(join(dir, entry.name), `${prefix}${entry.name}/`, true, out, problems);
    else if (YAML_FILE.test(entry.name)) {
      const read = readRuleFile(join(dir, entry.name));
      if ("text" in read) out[`${prefix}${entry.name}`] = read.text;
      else problems.push({ path: `alerts/custom/${prefix}${entry.name}`, message: read.problem });
    }
  }
}

/** Rule files of `system` under `dir`: name relative to `dir` → text. Throws `CatalogError` naming every file it refuses. */
export function readCustomRules(dir: string, system: string): Record<string, string> {
  const out: Record<string, string> = {};
  const problems: Diagnostic[] = [];
  yamlFiles(dir, "", false, out, problems);
  yamlFiles(join(dir, system), `${system}/`, true, out, problems);
  if (problems.length) throw new CatalogError(problems, "alerts/custom");
  return out;
}
