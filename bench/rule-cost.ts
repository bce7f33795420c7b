/**
 * Rule-evaluation cost against Sloth: the same SLOs (those of the benchmark catalog's first 120
 * services: 20 front ends with availability and latency SLOs, 20 APIs with availability, i.e. 60)
 * as our rendered rule files and as Sloth's (bench/sloth.ts), loaded into one Prometheus over the
 * same 3 days of synthetic history (local/history.ts), every group at the same interval.
 * Cost is Prometheus' own `evaluationTime` per rule group (`/api/v1/rules`): each group's mean over
 * its evaluations (the first two, cold caches, left out), summed per side.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { renderArtifacts } from "../artifacts";
import { validateCatalog } from "../catalog/validate";
import type { Catalog } from "../catalog/model";
import { METRIC } from "../conventions";
import { writeBlocks } from "../local/history";
import { serveHistory } from "../local/history-prometheus";
import { generateCatalog } from "./catalog";
import { slothRuleGroups, type SlothSlo } from "./sloth";

const DAY = 86_400_000;
/** How long writing the 3-day history and its blocks may take. */
const HISTORY_BUILD_ALLOWANCE_MS = 150_000;
const INTERVAL_S = 10;
const WARM_UP_CYCLES = 2;
const CYCLES = Number(process.env.RULE_COST_CYCLES ?? 12);

/** The benchmark catalog's services that have SLOs, with nothing but their SLOs. */
export function sloCatalog(services = 120): Record<string, unknown> {
  const raw = generateCatalog(services, "slos");
  const withSlos = (raw.services as Array<Record<string, unknown>>).filter((s) => Array.isArray(s.slos));
  return {
    system: raw.system,
    services: withSlos.map(({ name, kind, team, slos }) => ({ name, kind, ...(team ? { team } : {}), slos })),
  };
}

/** Each SLO of `catalog` as a Sloth SLO on the same series (the instrumentation contract's HTTP histogram). */
export function slothSlos(catalog: Catalog): SlothSlo[] {
  const count = `${METRIC.httpServerDuration}_count`;
  return catalog.services.flatMap((svc) =>
    svc.slos.map((slo) => {
      const job = `job="${svc.name}"`;
      const total = `sum(rate(${count}{${job}}[{{.window}}]))`;
      const errorQuery =
        slo.sli === "latency"
          ? `${total} - sum(rate(${METRIC.httpServerDuration}_bucket{${job},le="${slo.thresholdMs! / 1000}"}[{{.window}}]))`
          : `sum(rate(${count}{${job},${METRIC.httpStatusLabel}=~"5.."}[{{.window}}]))`;
      return {
        service: svc.name,
        name: slo.name,
        objective: Math.round(slo.objective * 100_000) / 1000,
        errorQuery,
        totalQuery: total,
        labels: { team: svc.team },
        alert: {
          name: "SloErrorBudgetBurn",
          page: { labels: { severity: "P0" } },
          ticket: { labels: { severity: "P2" } },
        },
      };
    }),
  );
}

async function query<T>(url: string, path: string): Promise<T> {
  const res = await fetch(`${url}/api/v1/${path}`);
  if (!res.ok) throw new Error(`${url}/api/v1/${path}: HTTP ${res.status}`);
  return ((await res.json()) as { data: T }).data;
}

/**
 * Both sides record every SLO's 5m and 3d ratios once warm, or the comparison means nothing (the 5m
 * ones vanish a few minutes after the history ends: a build that overran its allowance).
 */
async function everyRatioRecorded(url: string, slos: number, msAfterHistory: number): Promise<void> {
  for (const [side, selector] of [
    ["ours", 'service!=""'],
    ["sloth", 'sloth_id!=""'],
  ])
    for (const window of ["5m", "3d"]) {
      const q = `count(slo:sli_error:ratio_rate${window}{${selector}})`;
      const r = await query<{ result: Array<{ value: [number, string] }> }>(
        url,
        `query?query=${encodeURIComponent(q)}`,
      );
      const n = Number(r.result[0]?.value[1] ?? 0);
      if (n !== slos)
        throw new Error(
          `${side}: ${q} is ${n}, not ${slos}, ${Math.round(msAfterHistory / 1000)}s after the history's end`,
        );
    }
}

interface GroupStatus {
  name: string;
  file: string;
  evaluationTime: number;
  lastEvaluation: string;
  rules: Array<{ name: string; health: string; lastError?: string }>;
}

/** Rules per side, and mean evaluation milliseconds per cycle per side over `cycles` cycles after the warm-up. */
export async function ruleCost(
  prometheus: string,
  promtool: string,
  cycles = CYCLES,
): Promise<{
  ours: { rules: number; ms: number };
  sloth: { rules: number; ms: number };
  cycles: number;
  slos: number;
}> {
  const dir = mkdtempSync(join(tmpdir(), "ops-monitoring-bench-rule-cost-"));
  try {
    const catalog = validateCatalog(sloCatalog());
    const ours = join(dir, "ours");
    const sloth = join(dir, "sloth");
    mkdirSync(ours);
    mkdirSync(sloth);
    let ourRules = 0;
    for (const [path, text] of Object.entries(renderArtifacts(catalog, { profile: "prod" })))
      if (path.startsWith("prometheus/rules/")) {
        // Every group at the benchmark's interval, Sloth's (which set none) at the global one.
        writeFileSync(join(ours, path.split("/").pop()!), text.replace(/^ {4}interval: .*\n/gm, ""));
        ourRules += (text.match(/^ {6}- (record|alert): /gm) ?? []).length;
      }
    const slos = slothSlos(catalog);
    const slothGroups = slos.flatMap((s) => slothRuleGroups(s));
    writeFileSync(join(sloth, "sloth.yml"), stringify({ groups: slothGroups }, { lineWidth: 0 }));

    // History ends about when Prometheus starts (its head refuses samples older than the blocks'
    // end), so the 5m windows still have data during the cycles measured.
    const endMs = Math.ceil((Date.now() + HISTORY_BUILD_ALLOWANCE_MS) / 60_000) * 60_000;
    const { blocks } = await writeBlocks(catalog, { startMs: endMs - 3 * DAY, endMs }, dir, promtool);
    await new Promise((r) => setTimeout(r, Math.max(0, endMs + 1000 - Date.now())));
    const config = stringify({
      global: { evaluation_interval: `${INTERVAL_S}s` },
      rule_files: [join(ours, "*.yml"), join(sloth, "*.yml")],
    });
    const server = await serveHistory(prometheus, blocks, config);
    try {
      const seen = new Map<string, string>();
      const times = new Map<string, { ours: boolean; ms: number[] }>();
      const deadline = Date.now() + (WARM_UP_CYCLES + cycles) * INTERVAL_S * 1000;
      let checked = false;
      while (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, (INTERVAL_S * 1000) / 3));
        for (const g of (await query<{ groups: GroupStatus[] }>(server.url, "rules")).groups) {
          const failing = g.rules.find((r) => r.health === "err");
          if (failing) throw new Error(`${g.name}: ${failing.name} fails: ${failing.lastError}`);
          if (g.lastEvaluation.startsWith("0001") || seen.get(g.name) === g.lastEvaluation) continue;
          seen.set(g.name, g.lastEvaluation);
          const t = times.get(g.name) ?? { ours: g.file.startsWith(ours), ms: [] };
          t.ms.push(g.evaluationTime * 1000);
          times.set(g.name, t);
        }
        if (!checked && [...times.values()].every((t) => t.ms.length >= WARM_UP_CYCLES)) {
          await everyRatioRecorded(server.url, slos.length, Date.now() - endMs);
          checked = true;
        }
      }
      if (!checked) throw new Error(`not every group was evaluated ${WARM_UP_CYCLES} times in ${cycles} cycles`);
      // Each group's mean over its evaluations after the warm-up, summed per side: one cycle's cost.
      const perCycle = (wanted: boolean) =>
        [...times.values()]
          .filter((t) => t.ours === wanted)
          .reduce((sum, t) => {
            const ms = t.ms.slice(WARM_UP_CYCLES);
            return sum + ms.reduce((a, b) => a + b, 0) / ms.length;
          }, 0);
      return {
        ours: { rules: ourRules, ms: perCycle(true) },
        sloth: { rules: slothGroups.reduce((n, g) => n + g.rules.length, 0), ms: perCycle(false) },
        cycles: Math.min(...[...times.values()].map((t) => t.ms.length)) - WARM_UP_CYCLES,
        slos: slos.length,
      };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `rule_cost …` row of `npm run bench`. */
export async function ruleCostRow(prometheus: string, promtool: string): Promise<string> {
  const r = await ruleCost(prometheus, promtool);
  return `rule_cost slos=${r.slos} history_days=3 interval=${INTERVAL_S}s cycles=${r.cycles} ours_rules=${r.ours.rules} ours_ms_per_cycle=${r.ours.ms.toFixed(1)} sloth_rules=${r.sloth.rules} sloth_ms_per_cycle=${r.sloth.ms.toFixed(1)} ratio=${(r.ours.ms / r.sloth.ms).toFixed(2)}`;
}

if (require.main === module) {
  ruleCostRow(process.argv[2] ?? "prometheus", process.argv[3] ?? "promtool").then(
    (row) => console.log(row),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exitCode = 1;
    },
  );
}
