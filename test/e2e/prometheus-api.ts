/** Asking the Prometheus that `start` runs. */

export interface PromResult {
  metric: Record<string, string>;
  value: [number, string];
}

/** An instant query; throws Prometheus' error message when the query fails. */
export async function promQuery(prometheus: string, expr: string): Promise<PromResult[]> {
  const res = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(expr)}`, {
    signal: AbortSignal.timeout(5000),
  });
  const body = (await res.json()) as {
    status: string;
    error?: string;
    data?: { resultType: string; result: PromResult[] | [number, string] };
  };
  if (body.status !== "success") throw new Error(`${expr}: ${body.error}`);
  const r = body.data!.result;
  if (body.data!.resultType === "scalar") return [{ metric: {}, value: r as [number, string] }];
  return r as PromResult[];
}

/** How many times Prometheus has evaluated the rule group `group` (its own /metrics, which it need not scrape). */
export async function ruleGroupIterations(prometheus: string, group: string): Promise<number> {
  const text = await (await fetch(`${prometheus}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  const line = text
    .split("\n")
    .find((l) => l.startsWith("prometheus_rule_group_iterations_total{") && l.includes(`;${group}"}`));
  if (!line) throw new Error(`Prometheus reports no evaluations of rule group ${group}`);
  return Number(line.slice(line.lastIndexOf(" ") + 1));
}
