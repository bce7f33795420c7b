/**
 * `start [--catalog F] [--keep] [--history D]`: the whole stack on this machine from native binaries.
 * `--history 7d` first writes D of synthetic traffic with incidents (local/history.ts) as TSDB
 * blocks Prometheus starts with, and prints the `backtest` command line for this stack.
 * Without --catalog it runs the bundled demo catalog against the demo app. Prints each
 * component's URL, a line containing `ready` once all answer, then one line per notification;
 * SIGINT/SIGTERM stops every child and removes the work dir (kept with --keep or after a crash).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Catalog } from "../catalog/model";
import { ensureBinaries, MissingBinariesError, which } from "../local/binaries";
import { answers200 } from "../local/component";
import { catalogBounds, formatTerms } from "../alerts/detection-bounds";
import { formatDuration, parseDuration } from "../catalog/units";
import { DEMO_CATALOG_PATH, loadDemoCatalog, substituteDemoUrls } from "../local/demo-catalog";
import { buildHistory, INCIDENTS } from "../local/history";
import { startDemoApp, type DemoApp } from "../local/demo-app";
import { startSink, type Sink } from "../local/sink";
import { clearRunning, recordRunning } from "../local/running";
import { startLocalStack, type LocalStack } from "../local/supervisor";
import { stringFlag, UsageError, type Args } from "./args";
import { CUSTOM_RULES_DIR, readCustomRules } from "../alerts/custom-files";
import { loadInputs } from "./inputs";

const READY_TIMEOUT_MS = 60_000;
const MAX_HISTORY_MS = 30 * 86_400_000;
const MIN_HISTORY_MS = 60_000;

const row = (name: string, url: string, note = "") => `  ${name.padEnd(13)} ${url}${note ? `   ${note}` : ""}`;

interface Running {
  stack?: LocalStack;
  demo?: DemoApp;
  sink?: Sink;
}

async function shutdown(r: Running, keep: boolean): Promise<void> {
  clearRunning(process.pid);
  await r.stack?.stop({ keep });
  await r.demo?.close();
  await r.sink?.close();
}

function loadCatalog(
  args: Args,
  demo: DemoApp | undefined,
  sink: Sink,
): { catalog: Catalog; customRules: Record<string, string>; path: string } {
  if (!demo) return loadInputs(args);
  const catalog = loadDemoCatalog({ demoApp: demo.url, sink: sink.url });
  return { catalog, customRules: readCustomRules(CUSTOM_RULES_DIR, catalog.system), path: DEMO_CATALOG_PATH };
}

function demoHints(demo: DemoApp, catalog: Catalog, customRules: Record<string, string>): string[] {
  const probe = catalog.services.find((s) => s.health.length > 0);
  const bound = probe && catalogBounds(catalog, "local", customRules).find((b) => b.id === `${probe.name}/probe`);
  const post = (what: string) => `curl -X POST '${demo.url}/control/${what}'`;
  return [
    "try it:",
    `  outage     ${post("outage?mode=down")}${probe && bound ? `   (ProbeDown ${probe.health[0].severity} for ${probe.name} within ${formatTerms(bound)})` : ""}`,
    `  errors     ${post("errors?share=0.5&role=api")}`,
    `  latency    ${post("latency?ms=3000&role=api")}`,
    `  heartbeat  ${post("heartbeat?stale=1")}`,
    `  quota      ${post("quota?used=450")}`,
    `  recover    ${post("reset")}`,
  ];
}

/** `--history D`: how much synthetic history Prometheus starts with (at most 30 days). */
function historyFlag(args: Args): number | undefined {
  if (args.flags.history === undefined) return undefined;
  const value = stringFlag(args, "history");
  const ms = parseDuration(value);
  if (!ms || ms < MIN_HISTORY_MS || ms > MAX_HISTORY_MS)
    throw new UsageError(`start: --history "${value}" is not a duration between 1m and 30d (e.g. 7d)`);
  return ms;
}

async function syntheticHistory(
  catalog: Catalog,
  ms: number,
  promtool: string,
): Promise<Awaited<ReturnType<typeof buildHistory>>> {
  const t0 = Date.now();
  const history = await buildHistory(catalog, ms, promtool);
  console.log(
    `history: ${formatDuration(ms)} of synthetic traffic with ${INCIDENTS.length} incidents (${history.samples} samples) in ${((Date.now() - t0) / 1000).toFixed(1)}s; notifications go to the local sink only, never to the catalog's contacts`,
  );
  return history;
}

/** The backtest command line for this stack: the catalog it runs (the demo's written out with its URLs) and its Prometheus. */
function backtestCommand(args: Args, stack: LocalStack, running: Running, ms: number): string {
  let catalog = typeof args.flags.catalog === "string" ? args.flags.catalog : join(stack.work.root, "catalog.yaml");
  if (running.demo)
    writeFileSync(
      catalog,
      substituteDemoUrls(readFileSync(DEMO_CATALOG_PATH, "utf8"), {
        demoApp: running.demo.url,
        sink: running.sink!.url,
      }),
    );
  if (/\s/.test(catalog)) catalog = `'${catalog}'`;
  return `bin/ops-monitoring backtest --catalog ${catalog} --prometheus ${stack.urls.prometheus} --from now-${formatDuration(ms)} --to now`;
}

export async function run(args: Args): Promise<number> {
  const started = Date.now();
  const keep = args.flags.keep === true;
  const useDemo = args.flags.catalog === undefined;
  let binaries;
  try {
    binaries = ensureBinaries((line) => console.log(line));
  } catch (e) {
    if (!(e instanceof MissingBinariesError)) throw e;
    console.error(`ops-monitoring start: ${e.message}`);
    return 1;
  }

  const historyMs = historyFlag(args);
  if (historyMs !== undefined && !binaries.promtool) {
    console.error("ops-monitoring start: --history needs promtool (it ships with Prometheus) on PATH");
    return 1;
  }
  const running: Running = {};
  // A user catalog is validated before anything starts; the demo catalog needs the demo app's and sink's URLs first.
  const userInputs = useDemo ? undefined : loadInputs(args);
  let signalled: (signal: string) => void = () => {};
  const stopRequested = new Promise<string>((resolve) => (signalled = resolve));
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) return signalled(signal);
    console.error(`${signal} again: killing every component now`);
    running.stack?.components.forEach((c) => c.kill());
    process.exit(130);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  try {
    running.sink = await startSink({ print: (line) => console.log(line) });
    if (useDemo) running.demo = await startDemoApp();
    const { catalog, customRules, path } = userInputs ?? loadCatalog(args, running.demo, running.sink);
    console.log(
      `ops-monitoring start: ${relative(process.cwd(), path) || path} (system ${catalog.system}, ${catalog.services.length} services), local profile`,
    );
    const history =
      historyMs === undefined ? undefined : await syntheticHistory(catalog, historyMs, binaries.promtool!);
    const stack = await startLocalStack({
      catalog,
      customRules,
      binaries: {
        prometheus: binaries.prometheus!,
        alertmanager: binaries.alertmanager!,
        blackbox: binaries.blackbox!,
        ...(process.platform === "linux" ? { setpriv: which(["setpriv"]) } : {}),
      },
      sinkUrl: running.sink.url,
      log: (line) => console.log(line),
      ...(history ? { history: { blocks: history.blocks, ms: historyMs! } } : {}),
    });
    history?.cleanup();
    running.stack = stack;
    console.log(row("work dir", stack.work.root, `(logs in ${stack.work.logs}, configs in ${stack.work.config})`));
    console.log(row("prometheus", stack.urls.prometheus, "(/alerts, /rules, /targets)"));
    console.log(row("alertmanager", stack.urls.alertmanager));
    console.log(row("blackbox", stack.urls.blackbox));
    if (running.demo) console.log(row("demo app", running.demo.url, "(/api/health, /metrics, /control)"));
    if (history) console.log(row("backtest", backtestCommand(args, stack, running, historyMs!)));
    console.log(row("sink", running.sink.url, "(notifications print below; JSON at /alerts)"));

    const outcome = await Promise.race([
      stack.waitReady(READY_TIMEOUT_MS).then(async () => {
        for (const url of [`${running.sink!.url}-/ready`, ...(running.demo ? [`${running.demo.url}/-/ready`] : [])]) {
          if (!(await answers200(url))) throw new Error(`${url} does not answer`);
        }
        return { ready: true as const };
      }),
      stack.failed.then((error) => ({ error })),
      stopRequested.then((signal) => ({ signal })),
    ]).catch((error: Error) => ({ error }));

    if ("ready" in outcome) {
      recordRunning({
        pid: process.pid,
        alertmanager: stack.urls.alertmanager,
        prometheus: stack.urls.prometheus,
        workDir: stack.work.root,
      });
      console.log(
        `ready in ${((Date.now() - started) / 1000).toFixed(1)}s: every component answers, every target was scraped and every rule group evaluated; notifications print below (Ctrl-C stops)`,
      );
      if (running.demo) console.log(demoHints(running.demo, catalog, customRules).join("\n"));
      const end = await Promise.race([
        stopRequested.then((signal) => ({ signal })),
        stack.failed.then((error) => ({ error })),
      ]);
      return await finish(running, end, keep, true);
    }
    return await finish(running, outcome, keep, false);
  } catch (e) {
    await shutdown(running, keep);
    throw e;
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
}

/** Exit status of a run stopped by `signal`: 0 once it was ready, else the shell's 128 + signal number (130 for Ctrl-C). */
const signalExit = (signal: string, wasReady: boolean) => (wasReady ? 0 : 128 + (signal === "SIGTERM" ? 15 : 2));

async function finish(
  running: Running,
  end: { signal: string } | { error: Error },
  keep: boolean,
  wasReady: boolean,
): Promise<number> {
  if ("signal" in end) {
    console.log(`${end.signal}${wasReady ? "" : " during start-up"}: stopping every component`);
    await shutdown(running, keep);
    console.log(
      keep && running.stack
        ? `stopped; work dir kept at ${running.stack.work.root} (secrets removed)`
        : "stopped; work dir removed",
    );
    return signalExit(end.signal, wasReady);
  }
  console.error(`ops-monitoring start: ${end.error.message}`);
  await shutdown(running, true);
  if (running.stack)
    console.error(`stopped; work dir kept for inspection at ${running.stack.work.root} (secrets removed)`);
  return 1;
}
