/**
 * Hand-written alerts: the catalog's `rules:` and Prometheus rule files in `alerts/custom/`,
 * validated (PromQL, owner, severity) and completed to the alert contract.
 */
import { SIGNALS, type Catalog, type RawRule, type RuleFiles, type Severity, type Signal } from "../catalog/model";
import { CatalogError, type Diagnostic } from "../catalog/diagnostics";
import { promqlError } from "../catalog/promql";
import { promqlResultError } from "../catalog/promql-types";
import { escapeTemplateText, templateError } from "../catalog/template-text";
import { parseSeverity, SEVERITY_HELP } from "../catalog/units";
import {
  ANNOTATION,
  BUDGET_SERVICE,
  contentDigest,
  CUSTOM_RULE_LABEL,
  customRuleGroupName,
  LABEL,
  MONITORING_SERVICE,
  PANEL,
  REC,
  ruleGroupName,
  ruleUid,
  SHARED_RECORDS,
  RULE_GROUP_NAME_MAX,
} from "../conventions";
import { alertRule, recordingRule } from "./alert";
import type { GenContext } from "./context";
import type { AlertRule, RecordingRule, Rule, RuleGroup } from "./model";
import { readRuleFile, type FileGroup, type FileRule } from "./rule-file";

const SIGNAL_SET: ReadonlySet<string> = new Set(SIGNALS);

/** Team owning each service / external API name. */
export function owners(catalog: Catalog): Map<string, string> {
  const map = new Map<string, string>([
    [BUDGET_SERVICE, catalog.defaultTeam],
    [MONITORING_SERVICE, catalog.defaultTeam],
  ]);
  for (const s of catalog.services) map.set(s.name, s.team);
  for (const a of catalog.externalApis) map.set(a.name, a.team);
  return map;
}

/** A catalog `rules:` entry: its alert, and a recording rule of its expression for the dashboard panel. */
export function catalogRules(ctx: GenContext, r: RawRule, team: string): Rule[] {
  const alert = alertRule(ctx, {
    id: `${r.service}/custom/${r.name}`,
    alert: r.name,
    expr: r.expr,
    forMs: r.forMs,
    service: r.service,
    team,
    severity: r.severity,
    signal: r.signal,
    summary: r.summary ?? `${r.name} on ${r.service}`,
    description: r.description ?? `Hand-written rule ${r.name}: ${escapeTemplateText(r.expr)}`,
    runbook: "custom",
    dashboard: r.dashboardUrl ? undefined : { key: "service", panel: PANEL.customRules },
    noData: "OK",
    origin: `rules[${r.name}]`,
  });
  if (r.runbookUrl) alert.annotations[ANNOTATION.runbookUrl] = r.runbookUrl;
  if (r.dashboardUrl) alert.annotations[ANNOTATION.dashboardUrl] = r.dashboardUrl;
  return [panelRecord(alert), alert];
}

/**
 * The recording rule of a hand-written alert's expression, plotted on **Service › Hand-written
 * rules** for its service: `service:custom_rule:value{service, rule}`, `rule` its id below
 * `<service>/custom/` (the alert name; with a severity or digest when a rule file has several
 * alerts of that name).
 */
export function panelRecord(alert: AlertRule): RecordingRule {
  const service = alert.labels[LABEL.service];
  return recordingRule(`${alert.id}/value`, REC.customRule, alert.expr, {
    [LABEL.service]: service,
    [CUSTOM_RULE_LABEL]: alert.id.slice(`${service}/custom/`.length),
  });
}

/**
 * The `rule_files` settings of a file: every entry whose path is the file or a directory above
 * it, the longer path winning field by field (a file's entry may set only its `service`).
 * `path` is the most specific entry's, `matched` every entry that applies.
 */
export function entryFor(catalog: Catalog, file: string): (RuleFiles & { matched: RuleFiles[] }) | undefined {
  const names = [file, file.startsWith(`${catalog.system}/`) ? file.slice(catalog.system.length + 1) : file];
  const matched = catalog.ruleFiles
    .filter((e) => names.some((n) => n === e.path || n.startsWith(`${e.path}/`)))
    .sort((a, b) => a.path.length - b.path.length);
  if (!matched.length) return undefined;
  return matched.reduce<RuleFiles & { matched: RuleFiles[] }>(
    (acc, e) => ({
      path: e.path,
      service: e.service,
      team: e.team ?? (e.service === acc.service ? acc.team : undefined),
      severityMap: new Map([...acc.severityMap, ...e.severityMap]),
      severityLabel: e.severityLabel !== LABEL.severity ? e.severityLabel : acc.severityLabel,
      ...((e.severity ?? acc.severity) ? { severity: e.severity ?? acc.severity } : {}),
      matched,
    }),
    { ...matched[0], severityMap: new Map(), severityLabel: LABEL.severity, matched },
  );
}

/** A hand-written group name becomes a file name (`<system>-custom-<name>.yml`) and a Grafana rule group name. */
const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Generated rule group names (lowercased) → the catalog entry they belong to. */
function generatedGroupNames(catalog: Catalog): Map<string, string> {
  const names = new Map<string, string>();
  const add = (owner: string, where: string) => names.set(ruleGroupName(catalog.system, owner).toLowerCase(), where);
  for (const name of [SHARED_RECORDS, BUDGET_SERVICE, MONITORING_SERVICE]) add(name, `generated ${name} rules`);
  for (const a of catalog.externalApis) add(a.name, `external_apis[${a.name}]`);
  for (const s of catalog.services) add(s.name, `services[${s.name}]`);
  return names;
}

/**
 * The rule group names of the files' groups, or the problems with them. A group name that is
 * not a plain file name is refused (it names a rule file); one used by several files (compared
 * ignoring case, as macOS and Windows compare file names), legal in Prometheus, is qualified by
 * each file's path; one whose rule file a generated group (or another qualified name) has is
 * refused naming both.
 */
function groupNames(catalog: Catalog, read: FileGroup[], problems: Diagnostic[]): Map<FileGroup, string> {
  const files = new Map<string, Set<string>>();
  for (const g of read) files.set(g.name.toLowerCase(), (files.get(g.name.toLowerCase()) ?? new Set()).add(g.file));
  const taken = generatedGroupNames(catalog);
  const names = new Map<FileGroup, string>();
  for (const g of read) {
    if (!GROUP_NAME.test(g.name)) {
      problems.push({
        path: `${g.path}.name`,
        message: `${JSON.stringify(g.name)} names a rule file and a Grafana rule group: letters, digits, _ . - only, starting with a letter or digit`,
      });
      continue;
    }
    const shared = files.get(g.name.toLowerCase())!.size > 1;
    const name = customRuleGroupName(
      catalog.system,
      g.name,
      shared ? g.file.replace(/[^A-Za-z0-9_./-]/g, "-") : undefined,
    );
    const holder = taken.get(name.toLowerCase());
    if (name.length > RULE_GROUP_NAME_MAX)
      problems.push({
        path: `${g.path}.name`,
        message: `makes the rule group name ${name}, ${name.length} characters; Grafana takes at most ${RULE_GROUP_NAME_MAX}: shorten the file path or the group name`,
      });
    else if (holder !== undefined)
      problems.push({
        path: `${g.path}.name`,
        message: `${JSON.stringify(g.name)} makes the rule group ${name}, also the rule group of ${holder}; rename the group`,
      });
    taken.set(name.toLowerCase(), `alerts/custom/${g.file}`);
    names.set(g, name);
  }
  return names;
}

/**
 * Rule groups from hand-written rule files (file name → text), with the `rule_files` owner and
 * severity mapping applied; every problem of every file reported at once. Prometheus accepts a
 * group name in several files, an alert name at several severities or label sets and several
 * recording rules of one name: such rules get distinct group names and ids (`distinctIds`).
 */
export function customRuleGroups(ctx: GenContext, files: Record<string, string>): RuleGroup[] {
  const teams = owners(ctx.catalog);
  const problems: Diagnostic[] = [];
  const read = Object.keys(files)
    .sort()
    .flatMap((file) => readRuleFile(file, files[file], problems));
  const used = new Set<RuleFiles>();
  const names = groupNames(ctx.catalog, read, problems);
  const groups = read.map((g): RuleGroup => {
    const entry = entryFor(ctx.catalog, g.file);
    for (const e of entry?.matched ?? []) used.add(e);
    const rules = g.rules.flatMap((r) => {
      const rule = customRule(ctx, r, g.name, entry, teams, problems);
      return rule ? [rule] : [];
    });
    return {
      name: names.get(g) ?? g.name,
      service: "custom",
      intervalMs: g.intervalMs ?? 60_000,
      rules,
      fromFile: true,
    };
  });
  ctx.catalog.ruleFiles.forEach((e) => {
    if (!used.has(e))
      problems.push({ path: `rule_files[${e.path}].path`, message: `"${e.path}" matches no hand-written rule file` });
  });
  if (problems.length) throw new CatalogError(problems, "alerts/custom");
  return distinctIds(ctx.catalog.system, groups);
}

/** A rule's severity: its label mapped by `severity_map`, else read as a catalog severity, else the entry's default. */
function severityOf(
  labels: Record<string, string>,
  entry: RuleFiles | undefined,
  path: string,
  problems: Diagnostic[],
): Severity | undefined {
  const label = entry?.severityLabel ?? LABEL.severity;
  const value = labels[label];
  if (value === undefined) {
    if (entry?.severity) return entry.severity;
    return void problems.push({
      path: `${path}.labels.${label}`,
      message: `is required: a severity (${SEVERITY_HELP}), or rule_files[].severity for the file`,
    });
  }
  const severity = entry?.severityMap.get(value) ?? parseSeverity(value);
  if (!severity)
    problems.push({
      path: `${path}.labels.${label}`,
      message: `"${value}" is not a severity (${SEVERITY_HELP})${entry ? ` and rule_files[${entry.path}].severity_map does not map it` : "; map it with rule_files[].severity_map"}`,
    });
  return severity;
}

function customRule(
  ctx: GenContext,
  r: FileRule,
  group: string,
  entry: RuleFiles | undefined,
  teams: Map<string, string>,
  problems: Diagnostic[],
): Rule | undefined {
  const { path, labels } = r;
  const before = problems.length;
  const err = promqlError(r.expr) ?? promqlResultError(r.expr);
  if (err) problems.push({ path: `${path}.expr`, message: err });
  if (r.record !== undefined) {
    problems.push(...r.problems);
    return problems.length > before
      ? undefined
      : recordingRule(`custom/${group}/${r.record}`, r.record, r.expr, labels);
  }
  const alert = r.alert!;
  const service = labels[LABEL.service] ?? entry?.service;
  const signal = labels[LABEL.signal] ?? "custom";
  if (!service)
    problems.push({
      path: `${path}.labels.service`,
      message: "is required (a service or external API of the catalog), or rule_files[].service for the file",
    });
  else if (!teams.has(service))
    problems.push({
      path: `${path}.labels.service`,
      message: `"${service}" is not a service or external API of the catalog`,
    });
  const severity = severityOf(labels, entry, path, problems);
  if (!SIGNAL_SET.has(signal))
    problems.push({ path: `${path}.labels.signal`, message: `"${signal}" is not one of ${SIGNALS.join(" | ")}` });
  problems.push(...r.problems);
  for (const [field, texts] of [
    ["annotations", r.annotations],
    ["labels", labels],
  ] as const) {
    for (const [key, text] of Object.entries(texts)) {
      const templateProblem = templateError(text);
      if (templateProblem)
        problems.push({ path: `${path}.${field}.${key}`, message: `is a Prometheus template and ${templateProblem}` });
    }
  }
  if (problems.length > before) return undefined;
  const rule = alertRule(ctx, {
    id: `${service}/custom/${alert}`,
    alert,
    expr: r.expr,
    forMs: r.forMs,
    keepFiringForMs: r.keepFiringForMs,
    service,
    team: labels[LABEL.team] ?? (service === entry?.service ? entry.team : undefined) ?? teams.get(service)!,
    severity: severity!,
    signal: signal as Signal,
    summary: r.annotations[ANNOTATION.summary] ?? `${alert} on ${service}`,
    description: r.annotations[ANNOTATION.description] ?? `Hand-written rule ${alert}: ${escapeTemplateText(r.expr)}`,
    runbook: "custom",
    dashboard: r.annotations[ANNOTATION.dashboardUrl] ? undefined : { key: "service", panel: PANEL.customRules },
    noData: "OK",
    origin: path,
    labels: Object.fromEntries(
      Object.entries(labels).filter(([k]) => k !== LABEL.severity && k !== LABEL.service && k !== LABEL.team),
    ),
  });
  Object.assign(rule.annotations, r.annotations);
  return rule;
}

/** What tells apart rules sharing an id: everything Prometheus evaluates and sends. */
function content(rule: Rule): string {
  const sorted = (m: Record<string, string>) => Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1));
  return rule.kind === "record"
    ? JSON.stringify([rule.record, rule.expr, sorted(rule.labels)])
    : JSON.stringify([
        rule.alert,
        rule.expr,
        rule.forMs,
        rule.keepFiringForMs ?? 0,
        sorted(rule.labels),
        sorted(rule.annotations),
      ]);
}

/**
 * Gives hand-written rules whose ids map to the same Grafana uid distinct ids, deterministically
 * from the rules themselves: first the severity of alerts (`web/custom/HighErrorRate/P0`), then
 * a digest of their content, then (identical rules) their position. A rule whose id is alone
 * keeps it, so adding a rule renames only the rules it shares a name with.
 */
function distinctIds(system: string, groups: RuleGroup[]): RuleGroup[] {
  const rules = groups.flatMap((g) => g.rules);
  const ids = new Map<Rule, string>(rules.map((r) => [r, r.id]));
  const steps: Array<(r: Rule, i: number) => string> = [
    (r) => (r.kind === "alert" ? r.labels.severity : ""),
    (r) => contentDigest(content(r)),
    (_r, i) => String(i + 1),
  ];
  for (const step of steps) {
    const byUid = new Map<string, Rule[]>();
    for (const r of rules) {
      const uid = ruleUid(system, ids.get(r)!);
      byUid.set(uid, [...(byUid.get(uid) ?? []), r]);
    }
    for (const clash of byUid.values())
      if (clash.length > 1)
        clash.forEach((r, i) => {
          const suffix = step(r, i);
          if (suffix) ids.set(r, `${ids.get(r)}/${suffix}`);
        });
  }
  return groups.map((g) => ({
    ...g,
    rules: g.rules.map((r) => (ids.get(r) === r.id ? r : { ...r, id: ids.get(r)! })),
  }));
}
