/**
 * Runs a catalog locally from native binaries: renders it with the `local` profile into a
 * work dir, writes the secrets it references, and supervises Prometheus, Alertmanager and the
 * blackbox exporter on free loopback ports until `stop()`.
 */
import { cpSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { renderArtifacts, type Artifacts, type RenderOptions } from "../artifacts";
import type { Catalog } from "../catalog/model";
import { Component, type ComponentSpec, type Supervision } from "./component";
import { expectedTargets, waitMonitoring } from "./monitoring-ready";
import { createWorkDir, referencedSecrets, retire, writeConfig, writeSecrets, type WorkDir } from "./work-dir";

const HOST = "127.0.0.1";

export interface LocalBinaries {
  prometheus: string;
  alertmanager: string;
  blackbox: string;
  /** util-linux `setpriv`: when given, children get SIGTERM if `start` itself dies without cleaning up. */
  setpriv?: string;
}

export interface LocalStackOptions {
  catalog: Catalog;
  customRules?: Record<string, string>;
  binaries: LocalBinaries;
  /** Webhook every notification also goes to (the sink). */
  sinkUrl?: string;
  /** Work dir to use instead of a fresh temp dir. */
  workDir?: string;
  log: (line: string) => void;
  /** Environment secrets are read from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** SIGTERM → SIGKILL grace period when stopping. Default 5s. */
  graceMs?: number;
  /** Health checks, restart budget and back-off of every component (`DEFAULT_SUPERVISION` otherwise). */
  supervision?: Partial<Supervision>;
  /** TSDB blocks of synthetic history (local/history.ts) Prometheus starts with, and how far back they reach. */
  history?: { blocks: string; ms: number };
}

export interface LocalStack {
  urls: { prometheus: string; alertmanager: string; blackbox: string };
  work: WorkDir;
  /** What was rendered into `work.config`. */
  artifacts: Artifacts;
  components: Component[];
  /**
   * Starts Prometheus once Alertmanager and the blackbox exporter answer (so its first alerts
   * and probes do not fail), and resolves when every component answers its readiness endpoint
   * and Prometheus is monitoring: every target scraped and every rule group evaluated once
   * (local/monitoring-ready.ts), so detection bounds hold from then on.
   */
  waitReady(timeoutMs: number): Promise<void>;
  /** Resolves (never rejects) with the error once a component died more often than allowed. */
  failed: Promise<Error>;
  /** Stops every component; removes the work dir, or with `keep` only its secrets. */
  stop(options?: { keep?: boolean }): Promise<void>;
}

/** `count` distinct free loopback ports (held open together so they differ, then released). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const s = createServer();
          s.once("error", reject);
          s.listen(0, HOST, () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** The command lines of the three binaries, each on its own port and dirs under the work dir. */
/** Prometheus keeps a day of data, or the loaded history and a day more. */
const retention = (historyMs = 0) => `${Math.ceil(historyMs / 86_400_000) + 1}d`;

export function componentSpecs(
  w: WorkDir,
  bins: LocalBinaries,
  ports: { prometheus: number; alertmanager: number; blackbox: number },
  historyMs?: number,
): ComponentSpec[] {
  const addr = (p: number) => `${HOST}:${p}`;
  const specs: ComponentSpec[] = [
    {
      name: "blackbox",
      command: bins.blackbox,
      args: [
        `--config.file=${join(w.config, "blackbox", "blackbox.yml")}`,
        `--web.listen-address=${addr(ports.blackbox)}`,
      ],
      readyUrl: `http://${addr(ports.blackbox)}/-/ready`,
      healthUrl: `http://${addr(ports.blackbox)}/-/healthy`,
      logFile: join(w.logs, "blackbox.log"),
    },
    {
      name: "alertmanager",
      command: bins.alertmanager,
      args: [
        `--config.file=${join(w.config, "alertmanager", "alertmanager.yml")}`,
        `--storage.path=${join(w.data, "alertmanager")}`,
        `--web.listen-address=${addr(ports.alertmanager)}`,
        "--cluster.listen-address=",
      ],
      readyUrl: `http://${addr(ports.alertmanager)}/-/ready`,
      healthUrl: `http://${addr(ports.alertmanager)}/-/healthy`,
      logFile: join(w.logs, "alertmanager.log"),
    },
    {
      name: "prometheus",
      command: bins.prometheus,
      args: [
        `--config.file=${join(w.config, "prometheus", "prometheus.yml")}`,
        `--storage.tsdb.path=${join(w.data, "prometheus")}`,
        `--web.listen-address=${addr(ports.prometheus)}`,
        `--storage.tsdb.retention.time=${retention(historyMs)}`,
        // Alerts Alertmanager missed (e.g. while restarting) are re-sent within seconds, not a minute.
        "--rules.alert.resend-delay=5s",
      ],
      readyUrl: `http://${addr(ports.prometheus)}/-/ready`,
      healthUrl: `http://${addr(ports.prometheus)}/-/healthy`,
      logFile: join(w.logs, "prometheus.log"),
    },
  ];
  const setpriv = bins.setpriv;
  if (!setpriv) return specs;
  return specs.map((s) => ({ ...s, command: setpriv, args: ["--pdeathsig", "TERM", "--", s.command, ...s.args] }));
}

export async function startLocalStack(o: LocalStackOptions): Promise<LocalStack> {
  const [prometheus, alertmanager, blackbox] = await freePorts(3);
  const ports = { prometheus, alertmanager, blackbox };
  const work = createWorkDir(o.workDir, o.log);
  const options: Partial<RenderOptions> = {
    profile: "local",
    alertmanagerAddress: `${HOST}:${alertmanager}`,
    blackboxAddress: `${HOST}:${blackbox}`,
    secretsDir: work.secrets,
    customRules: o.customRules ?? {},
    ...(o.sinkUrl ? { sinkUrl: o.sinkUrl } : {}),
    // Synthetic incidents run up to now: they must never reach the catalog's contacts.
    ...(o.history && o.sinkUrl ? { sinkOnly: true } : {}),
  };
  const artifacts = renderArtifacts(o.catalog, options);
  writeConfig(work, artifacts);
  if (o.history) cpSync(o.history.blocks, join(work.data, "prometheus"), { recursive: true });
  const secrets = writeSecrets(referencedSecrets(artifacts, work.secrets), work.secrets, o.env);
  for (const m of secrets.missing)
    o.log(`secret ${m.name} is not set (environment variable ${m.env}); whatever reads it will fail`);

  let reportFailure: (e: Error) => void = () => {};
  const failed = new Promise<Error>((resolve) => (reportFailure = resolve));
  const components = componentSpecs(work, o.binaries, ports, o.history?.ms).map(
    (spec) => new Component(spec, { log: o.log, supervision: o.supervision, onGiveUp: reportFailure }),
  );
  const killAll = () => components.forEach((c) => c.kill());
  process.once("exit", killAll);
  const [first, last] = [
    components.filter((c) => c.spec.name !== "prometheus"),
    components.filter((c) => c.spec.name === "prometheus"),
  ];
  for (const c of first) c.start();

  let stopped = false;
  return {
    urls: {
      prometheus: `http://${HOST}:${prometheus}`,
      alertmanager: `http://${HOST}:${alertmanager}`,
      blackbox: `http://${HOST}:${blackbox}`,
    },
    work,
    artifacts,
    components,
    failed,
    async waitReady(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      await Promise.all(first.map((c) => c.waitReady(timeoutMs)));
      for (const c of last) c.start();
      await Promise.all(last.map((c) => c.waitReady(Math.max(0, deadline - Date.now()))));
      o.log("every component answers; waiting for Prometheus to scrape each target and evaluate each rule group once");
      await waitMonitoring(
        `http://${HOST}:${prometheus}`,
        expectedTargets(artifacts["prometheus/prometheus.yml"]),
        deadline,
      );
    },
    async stop({ keep = false } = {}) {
      if (stopped) return;
      stopped = true;
      await Promise.all(components.map((c) => c.stop(o.graceMs ?? 5000)));
      process.removeListener("exit", killAll);
      if (keep) retire(work);
      else rmSync(work.root, { recursive: true, force: true });
    },
  };
}
