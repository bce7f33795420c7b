/**
 * Reading a Prometheus rule file as Prometheus reads it (`model/rulefmt`): the keys it knows
 * and nothing else, so a typo (`keep_firing_fro:`) is refused here as `promtool check rules`
 * refuses it, instead of being dropped. A prometheus-operator `PrometheusRule` manifest (as
 * kube-prometheus and the monitoring mixins publish them) is read through its `spec`.
 *
 * Group keys Prometheus has that a target cannot keep are refused with the reason, never
 * ignored: `limit` (Grafana-managed groups have no series limit) and `query_offset` (the
 * Prometheus of `start`/`verify`, Debian's 2.42, predates it).
 */
import { parse } from "yaml";
import type { Diagnostic } from "../catalog/diagnostics";
import { parseDuration } from "../catalog/units";

export interface FileRule {
  /** Where the rule is, for messages: `<file>: groups[<group>].rules[<name>]`. */
  path: string;
  alert?: string;
  record?: string;
  expr: string;
  forMs: number;
  keepFiringForMs: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** What Prometheus would refuse in this rule (reported with the rule's other problems). */
  problems: Diagnostic[];
}

export interface FileGroup {
  /** Rule file name relative to the rules directory. */
  file: string;
  path: string;
  name: string;
  intervalMs?: number;
  rules: FileRule[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

const FILE_KEYS = ["groups"];
const GROUP_KEYS = ["name", "interval", "rules", "labels", "limit", "query_offset"];
const RULE_KEYS = ["record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"];
/** Group keys Prometheus reads that this project refuses, and why. */
const REFUSED_GROUP_KEYS: Record<string, string> = {
  limit:
    "is not supported: Grafana-managed rule groups (the prod target) have no series limit, so prod would not enforce it",
  query_offset:
    "is not supported: the Prometheus that runs `start` and `verify` (2.42) predates query_offset (2.53); shift the selectors with `offset` instead",
};
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** Label and annotation names every target takes (Prometheus 2's legacy scheme, Grafana, Alertmanager). */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function unknownKeys(node: Obj, known: string[], what: string, path: string, problems: Diagnostic[]): void {
  for (const key of Object.keys(node))
    if (!known.includes(key))
      problems.push({
        path,
        message: `unknown key "${key}": Prometheus refuses it too (${what} keys are ${known.join(", ")})`,
      });
}

/** A label or annotation map as strings; scalars are read as Prometheus' YAML decoder reads them. */
function stringMap(v: unknown, path: string, problems: Diagnostic[]): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isObj(v)) return (problems.push({ path, message: "must be a map of names to strings" }), {});
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v)) {
    if (!LABEL_NAME.test(k))
      problems.push({
        path: `${path}[${JSON.stringify(k)}]`,
        message: `${JSON.stringify(k)} is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)`,
      });
    else if (value === null) out[k] = "";
    else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
      out[k] = String(value);
    else problems.push({ path: `${path}.${k}`, message: "must be a string" });
  }
  return out;
}

function durationOf(v: unknown, path: string, problems: Diagnostic[]): number {
  if (v === undefined) return 0;
  const ms = typeof v === "string" ? parseDuration(v) : undefined;
  if (ms === undefined) problems.push({ path, message: `${JSON.stringify(v)} is not a duration like 5m` });
  return ms ?? 0;
}

function readRule(r: unknown, index: number, gpath: string, fileProblems: Diagnostic[]): FileRule | undefined {
  const name = isObj(r) ? [r.alert, r.record].find((n) => typeof n === "string") : undefined;
  const path = `${gpath}.rules[${name ?? index}]`;
  if (!isObj(r)) return void fileProblems.push({ path, message: "must be a rule (alert or record, and expr)" });
  const problems: Diagnostic[] = [];
  unknownKeys(r, RULE_KEYS, "rule", path, problems);
  const isAlert = r.alert !== undefined;
  const isRecord = r.record !== undefined;
  if (isAlert === isRecord) problems.push({ path, message: "needs exactly one of alert and record" });
  if (isAlert && (typeof r.alert !== "string" || r.alert === ""))
    problems.push({ path: `${path}.alert`, message: "must be a non-empty name" });
  if (isRecord && (typeof r.record !== "string" || !METRIC_NAME.test(r.record)))
    problems.push({ path: `${path}.record`, message: `"${String(r.record)}" is not a valid metric name` });
  if (typeof r.expr !== "string" || r.expr.trim() === "")
    problems.push({ path: `${path}.expr`, message: "is required (a PromQL expression)" });
  if (isRecord)
    for (const key of ["for", "keep_firing_for", "annotations"])
      if (r[key] !== undefined)
        problems.push({
          path: `${path}.${key}`,
          message: "is not allowed on a recording rule (Prometheus refuses it)",
        });
  if (problems.length) return void fileProblems.push(...problems);
  return {
    path,
    ...(isAlert ? { alert: String(r.alert) } : { record: String(r.record) }),
    expr: r.expr as string,
    forMs: durationOf(r.for, `${path}.for`, problems),
    keepFiringForMs: durationOf(r.keep_firing_for, `${path}.keep_firing_for`, problems),
    annotations: stringMap(r.annotations, `${path}.annotations`, problems),
    labels: stringMap(r.labels, `${path}.labels`, problems),
    problems,
  };
}

/**
 * The groups of one rule file (or `PrometheusRule` manifest), group labels merged into each
 * rule's labels as Prometheus 3 does (the rule's own label wins). Problems are appended to
 * `problems`, each naming file, group and rule.
 */
export function readRuleFile(file: string, text: string, problems: Diagnostic[]): FileGroup[] {
  const where = `alerts/custom/${file}`;
  let doc: unknown;
  try {
    doc = parse(text, { merge: true });
  } catch (e) {
    problems.push({ path: where, message: `is not valid YAML: ${(e as Error).message.split("\n")[0]}` });
    return [];
  }
  if (isObj(doc) && doc.kind === "PrometheusRule") doc = doc.spec;
  if (!isObj(doc) || !Array.isArray(doc.groups)) {
    problems.push({ path: where, message: "must be a Prometheus rule file with a `groups:` list" });
    return [];
  }
  unknownKeys(doc, FILE_KEYS, "rule file", where, problems);
  const names = new Set<string>();
  const groups: FileGroup[] = [];
  doc.groups.forEach((g: unknown, gi: number) => {
    const name = isObj(g) && typeof g.name === "string" ? g.name : "";
    const path = `${where}: groups[${name || `#${gi + 1}`}]`;
    if (!isObj(g) || name === "" || !Array.isArray(g.rules))
      return void problems.push({ path, message: "needs a name and a rules list" });
    if (names.has(name))
      return void problems.push({
        path,
        message: `group name "${name}" is repeated in the same file (Prometheus refuses it)`,
      });
    names.add(name);
    unknownKeys(g, GROUP_KEYS, "group", path, problems);
    for (const [key, reason] of Object.entries(REFUSED_GROUP_KEYS))
      if (g[key] !== undefined) problems.push({ path: `${path}.${key}`, message: reason });
    const groupLabels = stringMap(g.labels, `${path}.labels`, problems);
    const intervalMs = g.interval === undefined ? undefined : durationOf(g.interval, `${path}.interval`, problems);
    const rules = g.rules
      .map((r: unknown, ri: number) => readRule(r, ri, path, problems))
      .filter((r): r is FileRule => r !== undefined)
      .map((r) => ({ ...r, labels: { ...groupLabels, ...r.labels } }));
    groups.push({ file, path, name, ...(intervalMs ? { intervalMs } : {}), rules });
  });
  return groups;
}
