/**
 * Hand-written alerts: the catalog's `rules:` and Prometheus rule files in `alerts/custom/`,
 * validated (PromQL, owner, severity) and completed to the alert contract.
 */
import { parse } from "yaml";
import { SIGNALS, type Catalog, type RawRule, type Severity, type Signal } from "../catalog/model";
import { CatalogError, type Diagnostic } from "../catalog/diagnostics";
import { promqlError } from "../catalog/promql";
import { promqlResultError } from "../catalog/promql-types";
import { escapeTemplateText, templateError } from "../catalog/template-text";
import { parseDuration, parseSeverity, SEVERITY_HELP } from "../catalog/units";
import {
  ANNOTATION,
  BUDGET_SERVICE,
  CUSTOM_RULE_LABEL,
  LABEL,
  MONITORING_SERVICE,
  PANEL,
  REC,
  ruleGroupName,
  SHARED_RECORDS,
} from "../conventions";
import { alertRule, recordingRule } from "./alert";
import type { GenContext } from "./context";
import type { Rule, RuleGroup } from "./model";

const SIGNAL_SET: ReadonlySet<string> = new Set(SIGNALS);
/** Label and annotation names every target takes (Prometheus 2's legacy scheme, Grafana, Alertmanager). */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

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
  });
  if (r.runbookUrl) alert.annotations[ANNOTATION.runbookUrl] = r.runbookUrl;
  if (r.dashboardUrl) alert.annotations[ANNOTATION.dashboardUrl] = r.dashboardUrl;
  const record = recordingRule(`${r.service}/custom/${r.name}/value`, REC.customRule, r.expr, {
    [LABEL.service]: r.service,
    [CUSTOM_RULE_LABEL]: r.name,
  });
  return [record, alert];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A hand-written group name becomes a file name (`<system>-custom-<name>.yml`) and a Grafana rule group name. */
const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * Why a custom group named `name` cannot be rendered: a name that is not a plain file name,
 * or one whose rule file (compared ignoring case, as macOS and Windows do) is already taken by a
 * generated group or an earlier custom group. `taken`: lowercased group name → what holds it.
 */
function groupNameProblem(name: string, group: string, taken: Map<string, string>): string | undefined {
  if (!GROUP_NAME.test(name))
    return `${JSON.stringify(name)} names a rule file and a Grafana rule group: letters, digits, _ . - only, starting with a letter or digit`;
  const holder = taken.get(group.toLowerCase());
  if (holder === undefined) return undefined;
  return holder.startsWith("alerts/custom/")
    ? `${JSON.stringify(name)} is also a group of ${holder} (rule file names are compared ignoring case); rename one of them`
    : `${JSON.stringify(name)} makes the rule group ${group}, also the rule group of ${holder}; rename the group`;
}

/** Generated rule group names (lowercased) → the catalog entry they belong to. */
function generatedGroupNames(catalog: Catalog): Map<string, string> {
  const names = new Map<string, string>();
  const add = (owner: string, where: string) => names.set(ruleGroupName(catalog.system, owner).toLowerCase(), where);
  for (const name of [SHARED_RECORDS, BUDGET_SERVICE, MONITORING_SERVICE]) add(name, `generated ${name} rules`);
  for (const a of catalog.externalApis) add(a.name, `external_apis[${a.name}]`);
  for (const s of catalog.services) add(s.name, `services[${s.name}]`);
  return names;
}

/** Rule groups from `alerts/custom/*.yml` (file name → text); every problem of every file reported at once. */
export function customRuleGroups(ctx: GenContext, files: Record<string, string>): RuleGroup[] {
  const teams = owners(ctx.catalog);
  const problems: Diagnostic[] = [];
  const groups: RuleGroup[] = [];
  const taken = generatedGroupNames(ctx.catalog);
  for (const file of Object.keys(files).sort()) {
    const where = `alerts/custom/${file}`;
    let doc: unknown;
    try {
      doc = parse(files[file], { merge: true });
    } catch (e) {
      problems.push({ path: where, message: `is not valid YAML: ${(e as Error).message.split("\n")[0]}` });
      continue;
    }
    if (!isObj(doc) || !Array.isArray(doc.groups)) {
      problems.push({ path: where, message: "must be a Prometheus rule file with a `groups:` list" });
      continue;
    }
    doc.groups.forEach((g: unknown, gi: number) => {
      const gname = isObj(g) && typeof g.name === "string" ? g.name : `#${gi + 1}`;
      const gpath = `${where}: groups[${gname}]`;
      if (!isObj(g) || !Array.isArray(g.rules))
        return void problems.push({ path: gpath, message: "needs a name and a rules list" });
      const name = ruleGroupName(ctx.catalog.system, `custom-${gname}`);
      const nameProblem = groupNameProblem(gname, name, taken);
      if (nameProblem) return void problems.push({ path: `${gpath}.name`, message: nameProblem });
      taken.set(name.toLowerCase(), where);
      const rules: Rule[] = [];
      g.rules.forEach((r: unknown, ri: number) => {
        const rule = customRule(
          ctx,
          r,
          `${gpath}.rules[${isObj(r) ? ([r.alert, r.record].find((n) => typeof n === "string") ?? ri) : ri}]`,
          teams,
          problems,
        );
        if (rule) rules.push(rule);
      });
      const intervalMs = typeof g.interval === "string" ? parseDuration(g.interval) : undefined;
      groups.push({
        name,
        service: "custom",
        intervalMs: intervalMs ?? 60_000,
        rules,
      });
    });
  }
  if (problems.length) throw new CatalogError(problems, "alerts/custom");
  return groups;
}

function customRule(
  ctx: GenContext,
  r: unknown,
  path: string,
  teams: Map<string, string>,
  problems: Diagnostic[],
): Rule | undefined {
  if (!isObj(r) || typeof r.expr !== "string")
    return void problems.push({ path, message: "needs alert or record, and expr" });
  const err = promqlError(r.expr) ?? promqlResultError(r.expr);
  if (err) problems.push({ path: `${path}.expr`, message: err });
  const labels = isObj(r.labels) ? Object.fromEntries(Object.entries(r.labels).map(([k, v]) => [k, String(v)])) : {};
  if (typeof r.record === "string")
    return err ? undefined : recordingRule(`custom/${r.record}/${JSON.stringify(labels)}`, r.record, r.expr, labels);
  if (typeof r.alert !== "string") return void problems.push({ path, message: "needs alert or record" });
  const service = labels[LABEL.service];
  const severity = labels[LABEL.severity] ? parseSeverity(labels[LABEL.severity]) : undefined;
  const signal = labels[LABEL.signal] ?? "custom";
  const forMs = r.for === undefined ? 0 : typeof r.for === "string" ? parseDuration(r.for) : undefined;
  const before = problems.length;
  if (!service)
    problems.push({
      path: `${path}.labels.service`,
      message: "is required (a service or external API of the catalog)",
    });
  else if (!teams.has(service))
    problems.push({
      path: `${path}.labels.service`,
      message: `"${service}" is not a service or external API of the catalog`,
    });
  if (!severity)
    problems.push({
      path: `${path}.labels.severity`,
      message: `${labels[LABEL.severity] ? `"${labels[LABEL.severity]}" is not` : "is required:"} a severity (${SEVERITY_HELP})`,
    });
  if (!SIGNAL_SET.has(signal))
    problems.push({ path: `${path}.labels.signal`, message: `"${signal}" is not one of ${SIGNALS.join(" | ")}` });
  if (forMs === undefined)
    problems.push({ path: `${path}.for`, message: `"${String(r.for)}" is not a duration like 5m` });
  if (err || problems.length > before) return undefined;
  const annotations = isObj(r.annotations)
    ? Object.fromEntries(Object.entries(r.annotations).map(([k, v]) => [k, String(v)]))
    : {};
  for (const [field, texts] of [
    ["annotations", annotations],
    ["labels", labels],
  ] as const) {
    for (const [key, text] of Object.entries(texts)) {
      if (!LABEL_NAME.test(key))
        problems.push({
          path: `${path}.${field}[${JSON.stringify(key)}]`,
          message: `${JSON.stringify(key)} is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)`,
        });
      const templateProblem = templateError(text);
      if (templateProblem)
        problems.push({ path: `${path}.${field}.${key}`, message: `is a Prometheus template and ${templateProblem}` });
    }
  }
  if (problems.length > before) return undefined;
  const rule = alertRule(ctx, {
    id: `${service}/custom/${r.alert}`,
    alert: r.alert,
    expr: r.expr,
    forMs: forMs!,
    service: service,
    team: labels[LABEL.team] ?? teams.get(service)!,
    severity: severity as Severity,
    signal: signal as Signal,
    summary: annotations[ANNOTATION.summary] ?? `${r.alert} on ${service}`,
    description: annotations[ANNOTATION.description] ?? `Hand-written rule ${r.alert}: ${escapeTemplateText(r.expr)}`,
    runbook: "custom",
    noData: "OK",
    labels: Object.fromEntries(Object.entries(labels).filter(([k]) => k !== LABEL.severity)),
  });
  Object.assign(rule.annotations, annotations);
  return rule;
}
