/**
 * The independent oracle of the backtest tests: `promtool test rules` over the same series (the
 * synthetic history's OpenMetrics) with the same rendered rules, expecting at every evaluation
 * exactly the alerts the backtest reports firing there.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RuleGroup } from "../../alerts/model";
import { promGroup } from "../../alerts/prometheus-rules";
import { toYaml } from "../../alerts/yaml";
import { formatDuration } from "../../catalog/units";
import type { BacktestResult } from "../../backtest/run";
import { namesRead } from "../helpers/rule-closure";

/** `name{labels} value seconds` lines → promtool input series sampled every `intervalMs` from time 0. */
export function inputSeries(openMetrics: string, intervalMs: number): Array<{ series: string; values: string }> {
  const bySeries = new Map<string, string[]>();
  for (const line of openMetrics.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const parts = line.split(" ");
    const seconds = Number(parts.pop());
    const value = parts.pop()!;
    const series = parts.join(" ");
    const values = bySeries.get(series) ?? [];
    values[Math.round((seconds * 1000) / intervalMs)] = value;
    bySeries.set(series, values);
  }
  return [...bySeries].map(([series, values]) => ({ series, values: Array.from(values, (v) => v ?? "_").join(" ") }));
}

const covers = (e: { start: string; end: string | null }, t: number) =>
  Date.parse(e.start) <= t && (e.end === null || t < Date.parse(e.end));

/**
 * Runs promtool over the alerts of `groups` and the recording rules they read (annotations left
 * out: they do not decide firing) evaluated every
 * `result.step_seconds` from time 0, the data starting at time 0; returns promtool's status and output.
 */
export function promtoolAgrees(
  dir: string,
  groups: RuleGroup[],
  openMetrics: string,
  dataIntervalMs: number,
  result: BacktestResult,
): { status: number | null; output: string } {
  const rendered = groups.map((g) => {
    const group = promGroup(g);
    return { ...group, rules: group.rules.map(({ annotations: _annotations, ...rule }) => rule) };
  });
  // The alerts and the recording rules they read, transitively: no other rule decides an alert.
  const all = rendered.flatMap((g) => g.rules);
  const needed = namesRead(
    all,
    all.flatMap((r) => (r.alert ? [r.expr as string] : [])).join("\n"),
    (r) => String(r.alert ?? r.record),
    (r) => r.expr as string,
  );
  const rules = rendered
    .map((g) => ({ ...g, rules: g.rules.filter((r) => r.alert || needed.has(r.record as string)) }))
    .filter((g) => g.rules.length);
  writeFileSync(join(dir, "oracle.rules.yml"), toYaml({ groups: rules }));
  const kept = new Set(rules.map((g) => g.name));
  const recordsOnly = (g: RuleGroup) => g.rules.every((r) => r.kind === "record");
  const order = [...groups.filter(recordsOnly), ...groups.filter((g) => !recordsOnly(g))]
    .map((g) => g.name)
    .filter((n) => kept.has(n));

  const stepMs = result.step_seconds * 1000;
  const names = [...new Set(result.alerts.filter((a) => a.head).map((a) => a.alert))].sort();
  const tests: unknown[] = [];
  for (let t = Date.parse(result.from); t <= Date.parse(result.to); t += stepMs) {
    for (const name of names) {
      const exp = result.alerts
        .filter((a) => a.alert === name && a.head && a.head.episodes.some((e) => covers(e, t)))
        .map((a) => {
          if (a.head!.series.length !== 1)
            throw new Error(
              `${name} ${JSON.stringify(a.labels)} fired for ${a.head!.series.length} label sets; the oracle needs one`,
            );
          return { exp_labels: { ...a.labels, ...a.head!.series[0] } };
        });
      tests.push({ eval_time: formatDuration(t), alertname: name, exp_alerts: exp });
    }
  }
  writeFileSync(
    join(dir, "oracle.test.yml"),
    toYaml({
      rule_files: ["oracle.rules.yml"],
      evaluation_interval: formatDuration(stepMs),
      group_eval_order: order,
      tests: [
        {
          name: "backtest episodes",
          interval: formatDuration(dataIntervalMs),
          input_series: inputSeries(openMetrics, dataIntervalMs),
          alert_rule_test: tests,
        },
      ],
    }),
  );
  const r = spawnSync("promtool", ["test", "rules", "oracle.test.yml"], {
    cwd: dir,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.slice(0, 20_000) };
}

export const readText = (file: string) => readFileSync(file, "utf8");
