/**
 * `backtest [--catalog F] --prometheus URL --from T --to T [--step D] [--base REF] [--json | --format markdown] [--dashboards]`:
 * every alert of the catalog (and of the catalog at git REF) evaluated over the Prometheus
 * history in [from, to] as Prometheus would have evaluated it; `--dashboards` also lists the
 * dashboard panels that stay empty over the range whichever service is selected. Credentials only from
 * PROMETHEUS_USER + PROMETHEUS_PASSWORD or PROMETHEUS_TOKEN. Exit 0 on success, 2 on bad
 * arguments or catalog, 1 when Prometheus cannot be queried.
 */
import { ruleGroupsOf } from "../artifacts";
import { panelQueries } from "../dashboards";
import { parseDuration } from "../catalog/units";
import { DEFAULT_REQUEST_TIMEOUT_MS, PrometheusClient, PrometheusError } from "../backtest/prometheus";
import { authorizationFromEnv } from "./http";
import { renderMarkdown, renderText } from "../backtest/report";
import { noiseBudgets } from "../backtest/noise";
import { renderSloMarkdown, renderSloText, sloCompliance } from "../backtest/slo";
import { backtest, groupInterval, RangeTooLarge, type PanelQuery } from "../backtest/run";
import type { Catalog } from "../catalog/model";
import { parseInstant } from "../backtest/time";
import { catalogPath, stringFlag, UsageError, type Args } from "./args";
import { inputsAt } from "./at-ref";
import { customRulesDir, loadInputs } from "./inputs";

const PROGRESS_AFTER_MS = 3000;
const MAX_REQUEST_TIMEOUT_MS = 3600_000;
/** Exit status when the head exceeds a `pages_per_week` budget the base kept (the PR check fails). */
const NOISE_BUDGET_EXIT = 3;
/** How `panelQueries` names a dashboard annotation's query. */
const ANNOTATION_PANEL_PREFIX = "annotation: ";
const PROGRESS_EVERY_MS = 2000;

/** `text` on stdout byte for byte, through console.log (which the in-process test harness captures). */
function print(text: string): void {
  console.log(text.endsWith("\n") ? text.slice(0, -1) : text);
}

function instant(args: Args, name: string, nowMs: number, fallback?: string): number {
  const value = stringFlag(args, name, fallback);
  const ms = parseInstant(value, nowMs);
  if (ms === undefined)
    throw new UsageError(
      `backtest: --${name} "${value}" is not a time: use RFC 3339 (2026-11-18T00:00:00Z), Unix seconds, now or now-7d`,
    );
  return ms;
}

/** Longest wait for one answer: `--timeout D`, else `PROMETHEUS_TIMEOUT`, else 30s; at most 1h. */
function requestTimeout(args: Args): number {
  const flag = args.flags.timeout !== undefined;
  const value = flag ? stringFlag(args, "timeout") : process.env.PROMETHEUS_TIMEOUT || undefined;
  if (value === undefined) return DEFAULT_REQUEST_TIMEOUT_MS;
  const ms = parseDuration(value);
  if (!ms || ms > MAX_REQUEST_TIMEOUT_MS)
    throw new UsageError(
      `backtest: ${flag ? "--timeout" : "PROMETHEUS_TIMEOUT"} "${value}" is not a duration between 1ms and 1h such as 30s`,
    );
  return ms;
}

function format(args: Args): "text" | "json" | "markdown" {
  const f = stringFlag(args, "format", args.flags.json === true ? "json" : "text");
  if (f !== "text" && f !== "json" && f !== "markdown")
    throw new UsageError(`backtest: --format "${f}" is not one of text, json, markdown`);
  if (args.flags.json === true && f !== "json")
    throw new UsageError("backtest: --json and --format markdown exclude each other");
  return f;
}

/** Every panel query with `$service` set to each service in turn (dashboard annotations are not panels). */
function dashboardPanels(catalog: Catalog): PanelQuery[] {
  return catalog.services
    .flatMap((svc) => panelQueries(catalog, { service: svc.name }))
    .filter((q) => !q.panel.startsWith(ANNOTATION_PANEL_PREFIX));
}

export async function run(args: Args): Promise<number> {
  const nowMs = Date.now();
  const output = format(args);
  const url = stringFlag(args, "prometheus", process.env.PROMETHEUS_URL || "");
  if (!url) throw new UsageError("backtest: --prometheus URL (or PROMETHEUS_URL) is required");
  try {
    new URL(url);
  } catch {
    throw new UsageError(`backtest: --prometheus "${url.replace(/\/\/[^@/]*@/, "//")}" is not a URL`);
  }
  let authorization: string | undefined;
  try {
    authorization = authorizationFromEnv(process.env, "PROMETHEUS");
  } catch (e) {
    throw new UsageError(`backtest: ${(e as Error).message}`);
  }
  const timeoutMs = requestTimeout(args);
  const fromMs = instant(args, "from", nowMs);
  const toMs = instant(args, "to", nowMs, "now");
  if (fromMs >= toMs) throw new UsageError("backtest: --from must be before --to");
  const step = typeof args.flags.step === "string" ? parseDuration(args.flags.step) : undefined;
  if (args.flags.step !== undefined && !step)
    throw new UsageError(`backtest: --step "${String(args.flags.step)}" is not a positive duration such as 1m or 30s`);

  const customDir = customRulesDir(args, catalogPath(args));
  const { catalog, customRules } = loadInputs(args);
  const head = ruleGroupsOf(catalog, { customRules, profile: "prod" });
  const ref = args.flags.base === undefined ? undefined : stringFlag(args, "base");
  const baseInputs =
    ref === undefined ? undefined : inputsAt("backtest", ref, catalogPath(args), customDir, customRules);
  const base =
    ref === undefined
      ? undefined
      : baseInputs
        ? ruleGroupsOf(baseInputs.catalog, { customRules: baseInputs.customRules, profile: "prod" })
        : [];

  const client = new PrometheusClient(url, { authorization, timeoutMs });
  if (args.flags.slo === true) {
    try {
      const report = await sloCompliance(client, catalog, head, fromMs, toMs);
      print(
        output === "json"
          ? JSON.stringify(report, null, 2) + "\n"
          : output === "markdown"
            ? renderSloMarkdown(report)
            : renderSloText(report),
      );
      return 0;
    } catch (e) {
      if (!(e instanceof PrometheusError)) throw e;
      console.error(`backtest: ${e.message}`);
      return 1;
    }
  }
  let lastProgress = nowMs + PROGRESS_AFTER_MS - PROGRESS_EVERY_MS;
  try {
    const result = await backtest(client, {
      fromMs,
      toMs,
      stepMs: step ?? groupInterval(head),
      head,
      base,
      ...(args.flags.dashboards === true ? { panels: dashboardPanels(catalog) } : {}),
      progress: (done, total) => {
        const now = Date.now();
        if (now - lastProgress < PROGRESS_EVERY_MS && done < total) return;
        if (now - nowMs < PROGRESS_AFTER_MS) return;
        lastProgress = now;
        process.stderr.write(`backtest: ${done}/${total} queries done (${((now - nowMs) / 1000).toFixed(0)}s)\n`);
      },
    });
    const budgets = noiseBudgets(result, catalog.alerting.objectives);
    const full = budgets.length ? { ...result, noise_budget: budgets } : result;
    print(
      output === "json"
        ? JSON.stringify(full, null, 2) + "\n"
        : output === "markdown"
          ? renderMarkdown(full, ref)
          : renderText(full, ref),
    );
    return budgets.some((b) => b.verdict === "fail") ? NOISE_BUDGET_EXIT : 0;
  } catch (e) {
    if (e instanceof RangeTooLarge) throw new UsageError(`backtest: ${e.message}`);
    if (!(e instanceof PrometheusError)) throw e;
    console.error(`backtest: ${e.message}`);
    return 1;
  }
}
