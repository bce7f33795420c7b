/**
 * Runs promtool tests twice — with the Prometheus rules `render` writes, and with the Grafana
 * rules `plan` registers, translated by `grafana-rule-promql.ts` — on the same input series
 * and expected alerts, and reports every test whose two runs differ: the Grafana rule fires at
 * other evaluations, or with other labels, than its Prometheus twin. One promtool invocation
 * per side. Annotations are left out on both sides (Grafana's are other templates, checked
 * elsewhere).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parser } from "@prometheus-io/lezer-promql";
import { parse, stringify } from "yaml";
import type { RuleGroup } from "../../alerts/model";
import { foldedGroups } from "../../alerts/fold";
import { promRule } from "../../alerts/prometheus-rules";
import {
  ALERT_HELD_RECORD,
  FOLDED_ALERTS,
  isAlertConditionRecord,
  ruleGroupName,
  SHARED_RECORDS,
} from "../../conventions";
import { renderRuleTests, ruleTestName } from "../../alerts/rule-tests";
import { findBinary, GO_TOOL_ENV } from "../../verify/tools";
import { NotTranslated, translateRule, type PlannedRule, type PromRule } from "./grafana-rule-promql";
import { recordsRead } from "../../alerts/records-read";
import { names, namesRead } from "./rule-closure";

const run = promisify(execFile);

export interface PlannedGroup {
  name: string;
  intervalSeconds: number;
  rules: PlannedRule[];
}

/** The rule groups and the Prometheus data source uid of a `plan --json` output. */
export function plannedRules(planJson: string): { groups: PlannedGroup[]; datasourceUid: string } {
  const resources = (JSON.parse(planJson) as { resources: Array<{ type: string; inputs: Record<string, unknown> }> })
    .resources;
  const groups = resources
    .filter((r) => r.type === "grafana:alerting/ruleGroup:RuleGroup")
    .map((r) => r.inputs as unknown as PlannedGroup);
  const sources = new Set(groups.flatMap((g) => g.rules.filter((r) => r.record).map((r) => r.datas[0].datasourceUid)));
  const counts = new Map<string, number>();
  for (const r of groups.flatMap((g) => g.rules))
    for (const d of r.datas)
      if (d.datasourceUid !== "__expr__") counts.set(d.datasourceUid, (counts.get(d.datasourceUid) ?? 0) + 1);
  // The data source most queries read (the one recording rules read, when there are any).
  const datasourceUid = [...(sources.size === 1 ? sources : counts.keys())].sort(
    (a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0),
  )[0];
  return { groups, datasourceUid };
}

const labelKey = (labels: Record<string, string> = {}) => JSON.stringify(Object.entries(labels).sort());

/** Every planned rule translated, or the reason it cannot be (by title). */
export function translatePlan(groups: PlannedGroup[], datasourceUid: string) {
  const rules = groups.flatMap((g) => g.rules);
  const siblings = new Map<string, Set<string>>();
  for (const r of rules)
    if (r.condition && r.labels?.alert) {
      const set = siblings.get(r.labels.alert) ?? new Set<string>();
      for (const k of Object.keys(r.labels)) set.add(k);
      siblings.set(r.labels.alert, set);
    }
  const translated = new Map<PlannedRule, PromRule[]>();
  const refused = new Map<PlannedRule, string>();
  for (const r of rules) {
    try {
      translated.set(
        r,
        translateRule(r, { datasourceUid, siblingLabels: [...(siblings.get(r.labels?.alert ?? "") ?? [])].sort() }),
      );
    } catch (e) {
      if (!(e instanceof NotTranslated)) throw e;
      refused.set(r, e.message);
    }
  }
  return { translated, refused };
}

export interface TwinRun {
  /** Test files run on both sides. */
  compared: number;
  /** Of those, the ones whose expectations both sides meet. */
  passedBoth: number;
  /** One message per test whose two runs differ, or whose Grafana rule cannot be run, naming the rule. */
  problems: string[];
  /** Tests the Grafana rule and its twin both fail (suppression), run again with the planned query's own condition. */
  ownChecked: number;
  /** Grafana rules the translator refuses: `<title>: <reason>`. */
  refused: string[];
  /** Titles of Grafana alerts that no test ran (generated tests: the alerts the rule model has no test for). */
  untested: string[];
}

/**
 * The planned query with every `<condition> unless on () (<suppressors>)` replaced by its
 * condition — the alert's own condition (for an escalated copy, its hold too), read from the
 * planned PromQL; undefined when the query has no such clause.
 */
export function ownCondition(expr: string): string | undefined {
  const spans: Array<{ from: number; to: number; keep: string }> = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.name !== "BinaryExpr") return true;
      const lhs = node.node.firstChild;
      const op = lhs?.nextSibling;
      const modifier = op?.nextSibling;
      if (op?.name !== "Unless" || modifier?.name !== "MatchingModifierClause") return true;
      if (expr.slice(modifier.from, modifier.to).replace(/\s+/g, "") !== "on()") return true;
      const inner = expr.slice(lhs!.from, lhs!.to);
      spans.push({ from: node.from, to: node.to, keep: ownCondition(inner) ?? inner });
      return false;
    },
  });
  if (!spans.length) return undefined;
  let out = expr;
  for (const { from, to, keep } of spans.reverse()) out = `${out.slice(0, from)}${keep}${out.slice(to)}`;
  return out;
}

/** promtool's report per test file. */
function reports(output: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = output.split(/^Unit Testing:\s+(\S+)\s*$/m);
  for (let i = 1; i < parts.length; i += 2) out.set(parts[i], parts[i + 1].trim());
  return out;
}

/** promtool's report of each test file run in this process, by its inputs: its name, its text and the rule files it loads. */
const reported = new Map<string, string>();

/**
 * promtool's report for each of `tests` (file name → YAML) run with `rules` (file name → content).
 * A test whose inputs are byte-identical to one already run (two catalogs sharing services, a
 * control run twice) is not run again: promtool would read the same files.
 */
async function promtoolReports(
  tests: Record<string, string>,
  rules: Record<string, string>,
): Promise<Map<string, string>> {
  const inputs = new Map(
    Object.entries(tests).map(([f, yaml]) => {
      const loads = ((parse(yaml) as { rule_files?: string[] }).rule_files ?? []).map((r) => [r, rules[r]]);
      return [f, JSON.stringify([f, yaml, loads])];
    }),
  );
  const names = [...inputs].filter(([, key]) => !reported.has(key)).map(([f]) => f);
  if (names.length) {
    const promtool = findBinary("promtool");
    if (!promtool) throw new Error("promtool is not installed");
    const dir = mkdtempSync(join(tmpdir(), "ops-monitoring-grafana-twin-"));
    try {
      for (const [f, c] of Object.entries({ ...tests, ...rules })) writeFileSync(join(dir, f), c);
      // promtool names each file on stdout and prints its failures on stderr: one pipe keeps them together.
      const r = await run("sh", ["-c", '"$0" "$@" 2>&1', promtool, "test", "rules", ...names], {
        cwd: dir,
        env: { ...process.env, ...GO_TOOL_ENV },
        maxBuffer: 256 * 1024 * 1024,
      }).catch((e: { stdout?: string; stderr?: string }) => ({ stdout: e.stdout ?? "", stderr: e.stderr ?? "" }));
      const out = reports(r.stdout);
      for (const f of names) reported.set(inputs.get(f)!, out.get(f) ?? `(no report) ${r.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return new Map([...inputs].map(([f, key]) => [f, reported.get(key)!]));
}

/** One report for a test file run as several (one per test group): promtool's form, the failing groups' reports in order. */
function merged(reports: string[]): string {
  if (reports.length === 1) return reports[0];
  const failing = reports.filter((r) => r !== "SUCCESS");
  return failing.length ? `FAILED:\n${failing.map((r) => r.replace(/^FAILED:\n/, "")).join("\n\n")}` : "SUCCESS";
}

/** promtool's report for each test file of `files`, run as its `parts` (test file → YAML) with `rules`. */
async function reportsOf(
  files: string[],
  parts: Map<string, Record<string, string>>,
  rules: Record<string, string>,
): Promise<Map<string, string>> {
  const r = await promtoolReports(
    Object.assign({}, ...files.map((f) => parts.get(f))) as Record<string, string>,
    rules,
  );
  return new Map(files.map((f) => [f, merged(Object.keys(parts.get(f)!).map((part) => r.get(part)!))]));
}

/**
 * Runs each test file (as its `parts`) with the `grafana` rule files; those it does not pass run
 * again with the `prom` rule files, and must fail the same way. A test the Grafana rules pass
 * needs no second run: the Prometheus twin's own run of it (verify's generated tests,
 * test/alerts/semantics.test.ts) passes. Returns both reports per test file.
 */
async function runBoth(
  parts: Map<string, Record<string, string>>,
  prom: Record<string, string>,
  grafana: Record<string, string>,
): Promise<Map<string, { prom: string; grafana: string }>> {
  const files = [...parts.keys()];
  const g = await reportsOf(files, parts, grafana);
  const p = await reportsOf(
    files.filter((f) => g.get(f) !== "SUCCESS"),
    parts,
    prom,
  );
  return new Map(files.map((f) => [f, { grafana: g.get(f)!, prom: p.get(f) ?? "SUCCESS" }]));
}

function compare(
  results: Map<string, { prom: string; grafana: string }>,
  ruleOf: (test: string) => string,
): Pick<TwinRun, "compared" | "passedBoth" | "problems"> {
  const problems: string[] = [];
  let passedBoth = 0;
  for (const [test, r] of results) {
    if (r.prom === r.grafana) {
      if (r.prom === "SUCCESS") passedBoth++;
      continue;
    }
    problems.push(`${ruleOf(test)} (${test}): Grafana ${r.grafana}\n  — Prometheus twin ${r.prom}`);
  }
  return { compared: results.size, passedBoth, problems };
}

/** The rule model as render writes it (each alert's deployed expression), without annotations. */
function deployed(groups: RuleGroup[]): RuleGroup[] {
  return groups.map((g) => ({
    ...g,
    rules: g.rules.map((r) => (r.kind === "alert" ? { ...r, ownExpr: undefined, annotations: {} } : r)),
  }));
}

/**
 * The generated promtool test of every alert (`alerts/rule-tests.ts`, what `verify` runs), on the
 * deployed Prometheus rule and on the planned Grafana rule with the same labels (and the
 * Grafana recording rules writing what the test's recording rules write). `only` narrows the run
 * to the Grafana rules it accepts.
 */
export async function generatedTestsTwice(
  model: RuleGroup[],
  planned: PlannedGroup[],
  datasourceUid: string,
  only: (r: PlannedRule) => boolean = () => true,
): Promise<TwinRun> {
  const { files, tests } = renderRuleTests(deployed(model));
  const { translated, refused } = translatePlan(planned, datasourceUid);
  const all = planned.flatMap((g) => g.rules);
  // The Grafana alert of each generated test: its title is `<alert> (<id>)`.
  const alerts = new Map<string, PlannedRule[]>();
  for (const g of planned)
    for (const r of g.rules.filter((r) => r.condition)) {
      const name = `${ruleTestName(g.name, r.name.slice((r.labels?.alert ?? "").length + 2, -1))}.test.yml`;
      alerts.set(name, [...(alerts.get(name) ?? []), r]);
    }
  // Every recording rule an alert's query reads, its suppression's included, on both sides.
  const promRecords = deployed(model).flatMap((g) =>
    g.rules.flatMap((r) => (r.kind === "record" ? [promRule(r) as unknown as PromRule] : [])),
  );
  const grafanaRecords = all.filter((r) => r.record).flatMap((r) => translated.get(r) ?? []);
  const problems: string[] = [];
  const covered = new Set<PlannedRule>();
  const testFiles: Record<string, string> = {};
  const prom: Record<string, string> = {};
  const grafana: Record<string, string> = {};
  const grafanaOwn: Record<string, string> = {};
  const ruleOfTest = new Map<string, string>();
  for (const test of tests) {
    const rulesName = test.replace(/\.test\.yml$/, ".rules.yml");
    const group = (parse(files[rulesName]) as { groups: Array<{ name: string; interval: string; rules: PromRule[] }> })
      .groups[0];
    // The alert as Prometheus loads it: its condition record and the shared alerting rule (alerts/fold.ts).
    const twin = group.rules[group.rules.length - 1];
    const before = group.rules[group.rules.length - 2];
    const condition = before?.record && twin.expr.startsWith(before.record) ? [before] : [];
    const labels = { ...twin.labels, ...condition[0]?.labels };
    const matches = (alerts.get(test) ?? []).filter((r) => labelKey(r.labels) === labelKey(labels));
    if (matches.length !== 1) {
      problems.push(`${twin.alert} (${test}): ${matches.length} planned Grafana rules have its id and labels`);
      continue;
    }
    const [rule] = matches;
    if (!only(rule)) continue;
    covered.add(rule);
    const alert = translated.get(rule);
    if (!alert) continue;
    ruleOfTest.set(test, rule.name);
    testFiles[test] = files[test];
    const rulesFile = (rules: PromRule[]) =>
      stringify({ groups: [{ name: group.name, interval: group.interval, rules }] });
    prom[rulesName] = rulesFile([...recordsRead(promRecords, [(condition[0] ?? twin).expr]), ...condition, twin]);
    const [query, ...rest] = alert;
    grafana[rulesName] = rulesFile([...recordsRead(grafanaRecords, [query.expr]), ...alert]);
    const own = ownCondition(query.expr);
    if (own !== undefined)
      grafanaOwn[rulesName] = rulesFile([...recordsRead(grafanaRecords, [own]), { ...query, expr: own }, ...rest]);
  }
  const results = await runBoth(
    new Map(Object.entries(testFiles).map(([f, yaml]) => [f, { [f]: yaml }])),
    prom,
    grafana,
  );
  const compared = compare(results, (t) => ruleOfTest.get(t) ?? t);
  // Where the Prometheus twin fails its own test too (suppressed by its service's other alerts),
  // the Grafana rule's own condition must meet the test as written.
  const suppressed = [...results].filter(([, r]) => r.grafana !== "SUCCESS").map(([f]) => f);
  const rulesOf = (f: string) => f.replace(/\.test\.yml$/, ".rules.yml");
  const own = await promtoolReports(
    Object.fromEntries(suppressed.filter((f) => grafanaOwn[rulesOf(f)]).map((f) => [f, testFiles[f]])),
    grafanaOwn,
  );
  for (const f of suppressed) {
    const report = own.get(f);
    if (report === undefined)
      problems.push(
        `${ruleOfTest.get(f)} (${f}): fails its twin's test and its query has no suppression clause to leave out`,
      );
    else if (report !== "SUCCESS")
      problems.push(
        `${ruleOfTest.get(f)} (${f}): its own condition (the planned query without its suppression) ${report}`,
      );
  }
  const untested = all.filter((r) => r.condition && only(r) && !covered.has(r)).map((r) => r.name);
  return {
    ...compared,
    ownChecked: own.size,
    problems: [...problems, ...compared.problems],
    refused: [...refused].filter(([r]) => only(r)).map(([, why]) => why),
    untested,
  };
}

/**
 * The rules of `groups` that `testYaml` names: its alerts (and those their text names), the
 * recording rules it names, and the recording rules those rules can read, transitively; order kept.
 */
function rulesFor(groups: Array<{ name: string; interval: string; rules: PromRule[] }>, testYaml: string) {
  const all = groups.flatMap((g) => g.rules);
  const named = namesRead(
    all,
    testYaml,
    (r) => (r.alert ?? r.record)!,
    (r) => r.expr,
  );
  const alerts = all.filter((r) => r.alert && named.has(r.alert));
  const mentioned = names(testYaml);
  const records = all.filter((r) => r.record);
  const direct = records.filter((r) => mentioned.has(r.record!));
  const needed = new Set([
    ...alerts,
    ...direct,
    ...recordsRead(
      records,
      [...alerts, ...direct].map((r) => r.expr),
    ),
  ]);
  return groups.map((g) => ({ ...g, rules: g.rules.filter((r) => needed.has(r)) })).filter((g) => g.rules.length > 0);
}

/**
 * `groups` without the held records of suppressing alerts (alerts/fold.ts) of services none of
 * their condition records is for: an alert reads only its own service's (`on(service)`, or by id).
 */
function ownServicesHeld<G extends { rules: PromRule[] }>(groups: G[]): G[] {
  const services = new Set(
    groups
      .flatMap((g) => g.rules.filter((r) => r.record !== undefined && isAlertConditionRecord(r.record)))
      .map((r) => r.labels?.service),
  );
  return groups.map((g) => ({
    ...g,
    rules: g.rules.filter((r) => r.record !== ALERT_HELD_RECORD || services.has(r.labels?.service)),
  }));
}

/**
 * Hand-written promtool tests (`<name>.test.yml` → YAML reading `rules.yml`), each test group with
 * the rules it names: from the deployed Prometheus rules of `model`, and from the translated Grafana rules
 * of `planned`. With `ownConditions` (tests written for each alert's own condition, as
 * test/alerts/semantics.test.ts loads them), a test the Grafana rules fail — identically to the
 * deployed twin, under suppression — must pass with every planned query's own condition.
 */
export async function handWrittenTestsTwice(
  tests: Record<string, string>,
  model: RuleGroup[],
  planned: PlannedGroup[],
  datasourceUid: string,
  ownConditions: boolean,
  /** Other files the tests read (a rule file of their own, as burn-rate.test.yml reads Sloth's), the same on both sides. */
  beside: Record<string, string> = {},
): Promise<TwinRun> {
  const { translated, refused } = translatePlan(planned, datasourceUid);
  // The deployed Prometheus rules, folded as `render` writes them: the shared records' group and
  // one group of everything else, which the tests name in their group_eval_order.
  const generated = model.find((g) => !g.fromFile)!;
  const merged = ruleGroupName(generated.name.slice(0, -generated.service.length - 1), FOLDED_ALERTS);
  const promGroups = foldedGroups(deployed(model), merged).map((g) => ({
    ...g,
    rules: g.rules.map((r) => ({ ...r, annotations: undefined }) as unknown as PromRule),
  }));
  // The planned Grafana groups the same way: each group's order kept; the shared records' and the rule files' apart.
  const shared = new Set(model.filter((g) => g.service === SHARED_RECORDS || g.fromFile).map((g) => g.name));
  const grafanaGroups = (own: boolean) => {
    const groups = planned.map((g) => ({
      name: g.name,
      interval: `${g.intervalSeconds}s`,
      rules: g.rules.flatMap((r) => {
        const rules = translated.get(r) ?? [];
        if (!own || !r.condition || !rules.length) return rules;
        const [query, ...rest] = rules;
        return [{ ...query, expr: ownCondition(query.expr) ?? query.expr }, ...rest];
      }),
    }));
    const rest = groups.filter((g) => !shared.has(g.name));
    return [
      ...groups.filter((g) => shared.has(g.name)),
      ...(rest.length ? [{ name: merged, interval: rest[0].interval, rules: rest.flatMap((g) => g.rules) }] : []),
    ];
  };
  // Each test group runs as a file of its own with the rules it names, not every rule its file names.
  const parts = new Map<string, Record<string, string>>();
  const prom: Record<string, string> = { ...beside };
  const grafana: Record<string, string> = { ...beside };
  const grafanaOwn: Record<string, string> = { ...beside };
  const file = (gs: ReturnType<typeof rulesFor>) =>
    stringify({
      groups: gs.map((g) => ({ ...g, rules: g.rules.map((r) => JSON.parse(JSON.stringify(r)) as PromRule) })),
    });
  const [promAll, grafanaAll, grafanaOwnAll] = [promGroups, grafanaGroups(false), grafanaGroups(true)];
  for (const [name, yaml] of Object.entries(tests)) {
    const doc = parse(yaml) as { rule_files: string[]; tests: unknown[] };
    const files: Record<string, string> = {};
    doc.tests.forEach((group, i) => {
      const part = name.replace(/\.test\.yml$/, `.${i + 1}.test.yml`);
      const rulesName = part.replace(/\.test\.yml$/, ".rules.yml");
      const text = stringify({ ...doc, tests: [group] });
      files[part] = stringify({
        ...doc,
        tests: [group],
        rule_files: doc.rule_files.map((f) => (f === "rules.yml" ? rulesName : f)),
      });
      prom[rulesName] = file(ownServicesHeld(rulesFor(promAll, text)));
      grafana[rulesName] = file(rulesFor(grafanaAll, text));
      grafanaOwn[rulesName] = file(rulesFor(grafanaOwnAll, text));
    });
    parts.set(name, files);
  }
  const results = await runBoth(parts, prom, grafana);
  const compared = compare(results, (t) => t);
  const suppressed = ownConditions ? [...results].filter(([, r]) => r.grafana !== "SUCCESS").map(([f]) => f) : [];
  const own = await reportsOf(suppressed, parts, grafanaOwn);
  const problems = [...own]
    .filter(([, report]) => report !== "SUCCESS")
    .map(([f, report]) => `${f}: with the planned queries' own conditions (without suppression) ${report}`);
  return {
    ...compared,
    ownChecked: own.size,
    problems: [...compared.problems, ...problems],
    refused: [...refused.values()],
    untested: [],
  };
}
