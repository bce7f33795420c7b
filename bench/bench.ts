/**
 * `npm run bench`: render and plan cost at 10, 100 and 1000 services, resources per service,
 * how long a real Prometheus takes to load the 1000-service rules, and local mode's time to
 * detect an outage next to its floor, and a 7-day backtest of the production catalog.
 * Prints `services=N render_ms=X plan_ms=Y resources=Z` per size.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderArtifacts } from "../artifacts";
import { validateCatalog } from "../catalog/validate";
import { writeArtifacts } from "../write-artifacts";
import { runProgramUnderMocks } from "../infra/offline-engine";
import { findBinary, runTool } from "../verify/tools";
import { generateCatalog } from "./catalog";
import { benchBacktest } from "./backtest";
import { measureMttd } from "./mttd";

const SIZES = [10, 100, 1000];

async function main(): Promise<void> {
  // Warm-up: module loading and JIT are not what a catalog costs.
  await runProgramUnderMocks(generateCatalog(10), "prod");
  renderArtifacts(validateCatalog(generateCatalog(10)));

  let largest: ReturnType<typeof renderArtifacts> = {};
  const rows: Array<{ n: number; render: number; plan: number; resources: number }> = [];
  for (const n of SIZES) {
    const raw = generateCatalog(n);
    const t0 = performance.now();
    const artifacts = renderArtifacts(validateCatalog(raw));
    const t1 = performance.now();
    const run = await runProgramUnderMocks(raw, "prod");
    const t2 = performance.now();
    rows.push({ n, render: t1 - t0, plan: t2 - t1, resources: run.resources.length });
    console.log(
      `services=${n} render_ms=${Math.round(t1 - t0)} plan_ms=${Math.round(t2 - t1)} resources=${run.resources.length} resources_per_service=${(run.resources.length / n).toFixed(2)} files=${Object.keys(artifacts).length}`,
    );
    largest = artifacts;
  }
  const [, hundred, thousand] = rows;
  const total = (r: (typeof rows)[number]) => r.render + r.plan;
  console.log(
    `scale_1000_vs_100=${(total(thousand) / total(hundred)).toFixed(1)}x render_plus_plan_ms_1000=${Math.round(total(thousand))}`,
  );

  const promtool = findBinary("promtool");
  if (!promtool || !findBinary("prometheus")) {
    console.log("promtool_check_ms=skipped mttd_ms=skipped (Prometheus tools not on PATH)");
    return;
  }
  const { mttdMs, floor } = await measureMttd();
  console.log(`local_mttd_ms=${mttdMs} floor="${floor}"`);
  const dir = mkdtempSync(join(tmpdir(), "ops-monitoring-bench-"));
  try {
    writeArtifacts(dir, largest);
    const t = performance.now();
    const r = runTool(promtool, ["check", "config", "prometheus/prometheus.yml"], dir);
    console.log(`services=1000 promtool_check_config_ms=${Math.round(performance.now() - t)} ok=${r.ok}`);
    const prometheus = findBinary("prometheus");
    if (prometheus) console.log(`services=1000 prometheus_rule_load_ms=${await prometheusRuleLoadMs(prometheus, dir)}`);
    if (prometheus) console.log(await benchBacktest(prometheus, promtool));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts a real Prometheus on the rendered config and reads how long it took to load the rules. */
async function prometheusRuleLoadMs(binary: string, dir: string): Promise<number> {
  const child = spawn(
    binary,
    [
      "--config.file=prometheus/prometheus.yml",
      `--storage.tsdb.path=${join(dir, "data")}`,
      "--web.listen-address=127.0.0.1:0",
    ],
    { cwd: dir },
  );
  let log = "";
  child.stderr.on("data", (d: Buffer) => (log += d.toString()));
  try {
    const deadline = Date.now() + 120_000;
    while (!/Completed loading of configuration file/.test(log)) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`prometheus did not load the config:\n${log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const m = /\brules=([\d.]+)(ms|s|µs)/.exec(log);
    if (!m) throw new Error("prometheus did not report its rule load time");
    return Math.round(Number(m[1]) * (m[2] === "s" ? 1000 : m[2] === "ms" ? 1 : 0.001));
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
