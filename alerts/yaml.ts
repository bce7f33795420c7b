/**
 * A small deterministic YAML emitter for rendered configs (maps, lists, strings, numbers,
 * booleans). Block style, keys in insertion order, strings plain when unambiguous, else
 * single-quoted, else JSON double-quoted. About 10x faster than a general YAML library on
 * 1000-service rule files, and the output is stable across library upgrades.
 */

import { flat } from "./flat";

/** Characters of a plain scalar: `[A-Za-z_/]` first, then `[A-Za-z0-9_ ./@+:-]`. */
const PLAIN_FIRST = 1;
const PLAIN_REST = 2;
const PLAIN_CHARS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_/]/.test(ch)) PLAIN_CHARS[c] |= PLAIN_FIRST;
  if (/[A-Za-z0-9_ ./@+:-]/.test(ch)) PLAIN_CHARS[c] |= PLAIN_REST;
}
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const RESERVED = /^(true|false|yes|no|on|off|null|y|n|~)$/i;
/** Longest word `RESERVED` matches. */
const RESERVED_MAX = 5;
const SPACE = 0x20;
const COLON = 0x3a;
const QUOTES = /'/g;
// A JSON-quoted string is the only YAML form that can hold control characters.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

/**
 * Plain when unambiguous (a name, a path, a duration; no `: `, no trailing space or colon, not
 * a YAML keyword), else single-quoted, else (control characters) JSON double-quoted. The scan
 * for plainness stops at the first character a plain scalar cannot hold (within a few
 * characters for PromQL and prose); the value is then searched for quotes and control characters
 * by the regular-expression engine, much faster than a loop over its characters.
 */
function quoted(value: string): string {
  const n = value.length;
  const first = n ? value.charCodeAt(0) : -1;
  let i = 0;
  if (first >= 0 && first < 128 && (PLAIN_CHARS[first] & PLAIN_FIRST) !== 0) {
    for (i = 1; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c >= 128 || (PLAIN_CHARS[c] & PLAIN_REST) === 0 || (c === COLON && value.charCodeAt(i + 1) === SPACE)) break;
    }
    if (i === n) {
      const last = value.charCodeAt(n - 1);
      if (last !== SPACE && last !== COLON && (n > RESERVED_MAX || !RESERVED.test(value))) return value;
    }
  } else if (first >= 0x30 && first <= 0x39 && DURATION.test(value)) return value;
  if (CONTROL.test(value)) return JSON.stringify(value);
  return value.includes("'") ? `'${value.replace(QUOTES, "''")}'` : `'${value}'`;
}

function scalar(value: unknown): string {
  if (typeof value === "string") return quoted(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null || value === undefined) return "null";
  throw new TypeError(`cannot write a ${typeof value} as YAML`);
}

/**
 * A line's start: the indent, the key, `:` and a space before a value or a newline before a
 * block. A rule file's few indents and keys repeat in every rule, so each start is written once.
 */
const STARTS = { value: new Map<string, Map<string, string>>(), block: new Map<string, Map<string, string>>() };

function start(prefix: string, k: string, before: "value" | "block"): string {
  const byPrefix = STARTS[before];
  let byKey = byPrefix.get(prefix);
  if (byKey === undefined) byPrefix.set(prefix, (byKey = new Map<string, string>()));
  let written = byKey.get(k);
  if (written === undefined) {
    written = `${prefix}${scalar(k)}:${before === "block" ? "\n" : " "}`;
    if (byKey.size < 10_000) byKey.set(k, written);
  }
  return written;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function isEmptyMap(v: Record<string, unknown>): boolean {
  for (const k in v) if (Object.hasOwn(v, k)) return false;
  return true;
}

/** `v` as a nested block (a non-empty list or map), else undefined. */
const block = (v: unknown): "list" | "map" | undefined =>
  Array.isArray(v) ? (v.length ? "list" : undefined) : isMap(v) && !isEmptyMap(v) ? "map" : undefined;

/** Longest list item flattened: a whole rule group stays a rope of its (flattened) rules rather than being copied again. */
const FLAT_ITEM_MAX = 1 << 16;

/** A rule file's ~1M pieces would otherwise stay a rope (an object each) until the file is written. */
const flatItem = (text: string) => (text.length <= FLAT_ITEM_MAX ? flat(text) : text);

/** The lines of a list at `indent`. */
function emitList(value: unknown[], indent: string): string {
  let out = "";
  const inner = `${indent}  `;
  for (const item of value) {
    const kind = block(item);
    if (kind === "map") out += flatItem(emitMap(item as Record<string, unknown>, inner, `${indent}- `));
    else if (kind === "list") out += `${indent}-\n${emitList(item as unknown[], inner)}`;
    else out += `${indent}- ${inline(item)}\n`;
  }
  return out;
}

/** The lines of a map at `indent`, its first line starting with `first` instead (`- ` of a list item). */
function emitMap(value: Record<string, unknown>, indent: string, first = indent): string {
  let out = "";
  let prefix = first;
  for (const k in value) {
    if (!Object.hasOwn(value, k)) continue;
    const v = value[k];
    if (v === undefined) continue;
    const kind = block(v);
    if (kind === "map") out += start(prefix, k, "block") + emitMap(v as Record<string, unknown>, `${indent}  `);
    else if (kind === "list") out += start(prefix, k, "block") + emitList(v as unknown[], `${indent}  `);
    else out += `${start(prefix, k, "value")}${inline(v)}\n`;
    prefix = indent;
  }
  return out;
}

function inline(v: unknown): string {
  if (Array.isArray(v)) return "[]";
  if (isMap(v)) return "{}";
  return scalar(v);
}

/** Deterministic YAML of a config object, optionally behind a `# header` comment. */
export function toYaml(value: Record<string, unknown>, header?: string): string {
  const body = emitMap(value, "");
  return `${header ? `# ${header}\n` : ""}${body || "\n"}`;
}

export const GENERATED_HEADER =
  "Generated by ops-monitoring from the catalog. Do not edit; change the catalog and re-render.";
