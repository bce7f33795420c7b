/**
 * What a hand-written rule becomes differently from what its file says, named so nothing
 * changes silently: annotation and label templates Grafana evaluates otherwise (translated, or
 * without an equivalent), and `severity` labels replaced through `rule_files[].severity_label`.
 * Printed as warnings by `render`, `verify`, `plan` (and the commands reading the same inputs).
 */
import type { Diagnostic } from "../catalog/diagnostics";
import type { Catalog } from "../catalog/model";
import { LABEL } from "../conventions";
import { entryFor } from "./custom";
import { grafanaTemplate } from "./grafana-templates";
import { readRuleFile } from "./rule-file";

/** The value ref named in messages; the Grafana conversion queries into refId A. */
const REF = "A";

function templateWarnings(path: string, texts: Record<string, Record<string, string>>, out: Diagnostic[]): boolean {
  let translated = false;
  for (const [field, map] of Object.entries(texts))
    for (const [key, text] of Object.entries(map)) {
      const t = grafanaTemplate(text, REF);
      translated ||= t.translated;
      if (t.unsupported.length)
        out.push({
          path: `${path}.${field}.${key}`,
          message: `Grafana (prod) evaluates this template differently: ${t.unsupported.join(", ")}`,
        });
    }
  return translated;
}

export function ruleWarnings(catalog: Catalog, files: Record<string, string>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const r of catalog.rules)
    templateWarnings(
      `rules[${r.name}]`,
      { annotations: { summary: r.summary ?? "", description: r.description ?? "" } },
      out,
    );
  for (const file of Object.keys(files).sort()) {
    const entry = entryFor(catalog, file);
    const alerts = readRuleFile(file, files[file], [])
      .flatMap((g) => g.rules)
      .filter((r) => r.alert !== undefined);
    let translated = 0;
    const replaced = new Set<string>();
    for (const r of alerts) {
      if (templateWarnings(r.path, { annotations: r.annotations, labels: r.labels }, out)) translated++;
      if (entry && entry.severityLabel !== LABEL.severity && r.labels[LABEL.severity] !== undefined)
        replaced.add(r.labels[LABEL.severity]);
    }
    const where = `alerts/custom/${file}`;
    if (translated)
      out.push({
        path: where,
        message: `${translated} alert${translated === 1 ? "" : "s"} read $value (or .Value) in templates: Grafana's $value is the evaluation string, so prod sends them $values.${REF}.Value, the same number`,
      });
    if (replaced.size)
      out.push({
        path: where,
        message: `severity labels ${[...replaced].sort().join(", ")} are replaced by the severity rule_files[${entry!.path}].severity_map gives their ${entry!.severityLabel}`,
      });
  }
  return out;
}
