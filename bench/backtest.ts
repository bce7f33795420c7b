/**
 * The backtest benchmark: every alert of `Pulumi.prod.yaml`, head and base (the catalog at git
 * HEAD), over 7 days at 1-minute steps against a local Prometheus serving synthetic history.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CUSTOM_RULES_DIR, readCustomRules } from "../alerts/custom-files";
import { ruleGroupsOf } from "../artifacts";
import { PrometheusClient } from "../backtest/prometheus";
import { backtest } from "../backtest/run";
import { loadCatalogFile } from "../catalog/load";
import { inputsAt } from "../cli/at-ref";
import { writeBlocks } from "../local/history";
import { cpuWithChildrenMs } from "./rule-load";
import { serveHistory } from "../local/history-prometheus";

const DAY = 24 * 3600_000;
const CATALOG = join(__dirname, "..", "Pulumi.prod.yaml");

export async function benchBacktest(prometheus: string, promtool: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "ops-monitoring-bench-backtest-"));
  try {
    const catalog = loadCatalogFile(CATALOG);
    const customRules = readCustomRules(CUSTOM_RULES_DIR, catalog.system);
    const toMs = Math.floor(Date.now() / 3600_000) * 3600_000;
    const fromMs = toMs - 7 * DAY;
    const t0 = performance.now();
    const cpu0 = cpuWithChildrenMs();
    const { blocks, samples } = await writeBlocks(catalog, { startMs: fromMs - DAY, endMs: toMs }, dir, promtool);
    const historyS = (performance.now() - t0) / 1000;
    const historyCpuS = (cpuWithChildrenMs() - cpu0) / 1000;
    const server = await serveHistory(prometheus, blocks);
    try {
      const head = ruleGroupsOf(catalog, { customRules, profile: "prod" });
      const baseInputs = inputsAt("bench", "HEAD", CATALOG, CUSTOM_RULES_DIR, customRules);
      const base = baseInputs
        ? ruleGroupsOf(baseInputs.catalog, { customRules: baseInputs.customRules, profile: "prod" })
        : [];
      const client = new PrometheusClient(server.url);
      const t1 = performance.now();
      const result = await backtest(client, { fromMs, toMs, stepMs: 60_000, head, base });
      const seconds = (performance.now() - t1) / 1000;
      return `backtest catalog=Pulumi.prod.yaml days=7 step=1m alerts=${result.alerts.length} head_and_base=true seconds=${seconds.toFixed(1)} queries=${client.requests} history_samples=${samples} history_build_s=${historyS.toFixed(1)} history_build_cpu_s=${historyCpuS.toFixed(1)}`;
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
