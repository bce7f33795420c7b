/**
 * The alerts of rendered Prometheus rule files, one per alert of the model: a folded alerting
 * rule (alerts/fold.ts) once per condition record it reads, with the record's labels and
 * expression; any other alerting rule as written.
 */
import { parse } from "yaml";

export interface RenderedRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

/** The rules of one rendered Prometheus rule file, its groups' in order. */
export function rulesOf(file: string): RenderedRule[] {
  return (parse(file) as { groups: Array<{ rules: RenderedRule[] }> }).groups.flatMap((g) => g.rules);
}

export function renderedAlerts(rules: RenderedRule[]): RenderedRule[] {
  const byRecord = new Map<string, RenderedRule[]>();
  for (const r of rules) if (r.record) byRecord.set(r.record, [...(byRecord.get(r.record) ?? []), r]);
  return rules
    .filter((r) => r.alert)
    .flatMap((a) => {
      const records = byRecord.get(a.expr.split(" ")[0]);
      if (!records) return [a];
      return records.map((c) => ({ ...a, expr: c.expr, labels: { ...a.labels, ...c.labels } }));
    });
}
