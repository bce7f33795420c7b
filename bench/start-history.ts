/** The `start --history 7d` row: the same history build `start` runs, on the demo catalog it runs with. */
import { loadDemoCatalog } from "../local/demo-catalog";
import { buildHistory } from "../local/history";
import { cpuWithChildrenMs } from "./rule-load";

const WEEK_MS = 7 * 24 * 3600_000;

export async function startHistoryRow(promtool: string): Promise<string> {
  const catalog = loadDemoCatalog({ demoApp: "http://127.0.0.1:3000", sink: "http://127.0.0.1:9099/" });
  const cpu0 = cpuWithChildrenMs();
  const t0 = performance.now();
  const history = await buildHistory(catalog, WEEK_MS, promtool);
  const ms = performance.now() - t0;
  const cpuMs = cpuWithChildrenMs() - cpu0;
  history.cleanup();
  return `start_history days=7 catalog=demo samples=${history.samples} history_build_ms=${Math.round(ms)} history_build_cpu_ms=${Math.round(cpuMs)}`;
}
