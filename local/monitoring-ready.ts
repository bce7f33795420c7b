/**
 * When local mode is monitoring, not only answering: Prometheus answers `/-/ready` before it has
 * its targets (service discovery hands them over in batches, up to 5s apart), scraped them (each
 * scrape loop starts at an offset within its interval) or evaluated a rule group. An outage
 * caused in that gap was first seen up to 9.6s after it began, where the detection bound
 * `start` prints assumes at most one probe interval (5s): ProbeDown reached the sink in 25.9s
 * against a bound of 24s. `start` says `ready` only once every target of the rendered
 * configuration has been scraped and every rule group evaluated, at least once.
 */
import { parse } from "yaml";
import { sleep } from "./component";

/** Targets each scrape job of a rendered `prometheus.yml` lists (static configs: all local mode writes). */
export function expectedTargets(prometheusYml: string): Map<string, number> {
  const config = parse(prometheusYml) as {
    scrape_configs?: Array<{ job_name: string; static_configs?: Array<{ targets?: string[] }> }>;
  };
  const out = new Map<string, number>();
  for (const job of config.scrape_configs ?? [])
    out.set(
      job.job_name,
      (job.static_configs ?? []).reduce((n, c) => n + (c.targets?.length ?? 0), 0),
    );
  return out;
}

/** `GET /api/v1/targets?state=any`, the fields read here. */
export interface TargetsResponse {
  data: {
    activeTargets: Array<{ scrapePool: string; health: string }>;
    droppedTargets: Array<{ discoveredLabels: Record<string, string> }>;
  };
}

/** `GET /api/v1/rules`, the fields read here. */
export interface RulesResponse {
  data: { groups: Array<{ name: string; lastEvaluation: string }> };
}

/**
 * What Prometheus has not done yet, one phrase each; empty once every expected target was
 * scraped (up or down: `health` leaves `unknown` after the first scrape) or dropped by
 * relabelling, and every rule group was evaluated (`lastEvaluation` is Go's zero time before).
 */
export function notYetMonitoring(
  expected: ReadonlyMap<string, number>,
  targets: TargetsResponse,
  rules: RulesResponse,
): string[] {
  const done = new Map<string, number>();
  const count = (job: string | undefined) => {
    if (job !== undefined) done.set(job, (done.get(job) ?? 0) + 1);
  };
  for (const t of targets.data.activeTargets) if (t.health !== "unknown") count(t.scrapePool);
  for (const t of targets.data.droppedTargets) count(t.discoveredLabels.job);
  const out: string[] = [];
  for (const [job, n] of [...expected].sort(([a], [b]) => (a < b ? -1 : 1)))
    if ((done.get(job) ?? 0) < n) out.push(`job ${job} scraped (${done.get(job) ?? 0} of ${n} targets)`);
  for (const g of rules.data.groups)
    if (!(Date.parse(g.lastEvaluation) > 0)) out.push(`rule group ${g.name} evaluated`);
  return out;
}

async function getJson<T>(url: string): Promise<T | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok ? ((await res.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves once `notYetMonitoring` is empty; rejects at `deadline` (epoch ms) naming what is still missing. */
export async function waitMonitoring(
  prometheusUrl: string,
  expected: ReadonlyMap<string, number>,
  deadline: number,
): Promise<void> {
  let missing = ["an answer from /api/v1/targets and /api/v1/rules"];
  for (;;) {
    const [targets, rules] = await Promise.all([
      getJson<TargetsResponse>(`${prometheusUrl}/api/v1/targets?state=any`),
      getJson<RulesResponse>(`${prometheusUrl}/api/v1/rules`),
    ]);
    if (targets && rules) {
      missing = notYetMonitoring(expected, targets, rules);
      if (missing.length === 0) return;
    }
    if (Date.now() >= deadline)
      throw new Error(`prometheus is not monitoring yet; still waiting for: ${missing.join(", ")}`);
    await sleep(200);
  }
}
