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
