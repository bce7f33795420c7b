/**
 * How long a real Prometheus takes to load a rendered catalog's rules: its own `rules=` time (wall)
 * and its CPU time up to "Completed loading" minus that of the same start without rule files, and
 * `promtool check rules` CPU (the same parsing and template checks). Linux (/proc) only.
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/** The `services=N prometheus_rule_load_ms=…` row for the rendered artifacts in `dir`. */
export async function ruleLoadRow(prometheus: string, promtool: string, dir: string, services = 1000): Promise<string> {
  const config = readFileSync(join(dir, "prometheus/prometheus.yml"), "utf8");
  writeFileSync(join(dir, "prometheus/no-rules.yml"), config.replace(/^rule_files:\n( {2}- .*\n)+/m, ""));
  const withRules = await prometheusStart(prometheus, dir, "prometheus/prometheus.yml");
  const without = await prometheusStart(prometheus, dir, "prometheus/no-rules.yml");
  const files = readdirSync(join(dir, "prometheus/rules")).map((f) => join("prometheus/rules", f));
  const check = spawnSync("/usr/bin/time", ["-f", "%U %S", promtool, "check", "rules", "--lint=none", ...files], {
    cwd: dir,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const [user, sys] = (check.stderr.trim().split("\n").pop() ?? "").split(" ").map(Number);
  const rules = files.flatMap(
    (f) =>
      (parse(readFileSync(join(dir, f), "utf8")) as { groups: Array<{ rules: Array<Record<string, object>> }> }).groups,
  );
  const alerting = rules.flatMap((g) => g.rules).filter((r) => r.alert);
  // What Prometheus template-parses at load: every label and annotation value of every alerting rule.
  const values = alerting.reduce(
    (n, r) => n + Object.keys(r.labels ?? {}).length + Object.keys(r.annotations ?? {}).length,
    0,
  );
  return `services=${services} prometheus_rule_load_ms=${withRules.rulesMs} prometheus_rule_load_cpu_ms=${withRules.cpuMs - without.cpuMs} promtool_check_rules_cpu_ms=${Math.round((user + sys) * 1000)} ok=${check.status === 0} alerting_rules=${alerting.length} template_values=${values} rules=${rules.reduce((n, g) => n + g.rules.length, 0)}`;
}

const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** CPU milliseconds (user + system) a process has used so far, with its waited-for children's if `children` (Linux /proc). */
function cpuMsOf(pid: number | "self", children = false): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const [utime, stime, cutime, cstime] = stat
    .slice(stat.lastIndexOf(")") + 2)
    .split(" ")
    .slice(11, 15)
    .map(Number);
  return ((utime + stime + (children ? cutime + cstime : 0)) * 1000) / CLK_TCK;
}

/** This process's CPU milliseconds so far, its finished child processes' included. */
export const cpuWithChildrenMs = () => cpuMsOf("self", true);

/** Starts a real Prometheus on `config`: its reported rule load time and its CPU time once the config is loaded. */
async function prometheusStart(
  binary: string,
  dir: string,
  config: string,
): Promise<{ rulesMs: number; cpuMs: number }> {
  rmSync(join(dir, "data"), { recursive: true, force: true });
  const child = spawn(
    binary,
    [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, "data")}`, "--web.listen-address=127.0.0.1:0"],
    { cwd: dir },
  );
  let log = "";
  child.stderr.on("data", (d: Buffer) => (log += d.toString()));
  try {
    const deadline = Date.now() + 120_000;
    while (!/Completed loading of configuration file/.test(log)) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`prometheus did not load the config:\n${log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const cpuMs = cpuMsOf(child.pid!);
    const m = /\brules=([\d.]+)(ms|s|µs)/.exec(log);
    if (!m) throw new Error("prometheus did not report its rule load time");
    return { rulesMs: Math.round(Number(m[1]) * (m[2] === "s" ? 1000 : m[2] === "ms" ? 1 : 0.001)), cpuMs };
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
  }
}

if (require.main === module) {
  ruleLoadRow(process.argv[2], process.argv[3], process.argv[4]).then(
    (row) => console.log(row),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exitCode = 1;
    },
  );
}
