/** `prometheus.yml`: rule files, Alertmanager (also scraped), a blackbox scrape job per health check, and app scrape jobs. */
import type { Catalog, HealthCheck, Service } from "../catalog/model";
import { formatDuration } from "../catalog/units";
import { ALERTMANAGER_JOB, DEFAULTS, LABEL, probeJob, probeScrapeJob, secretFileName } from "../conventions";
import { GENERATED_HEADER, toYaml } from "../alerts/yaml";
import { blackboxModule, httpClientAuth, probeTiming } from "./blackbox";

export interface PrometheusConfigOptions {
  alertmanagerAddress: string;
  blackboxAddress: string;
  secretsDir: string;
  profile: "prod" | "local";
}

/**
 * The scrape job of one check. One of several checks of a service gets its own job name (own
 * interval and module) and has `job` relabelled to the service's probe job, so every check of
 * a service shares `job="<service>-health"` and differs by `instance`.
 */
function probeScrape(svc: Service, h: HealthCheck, o: PrometheusConfigOptions): Record<string, unknown> {
  const { everyMs, timeoutMs } = probeTiming(h, o.profile);
  return {
    job_name: probeScrapeJob(svc.name, h.key),
    metrics_path: "/probe",
    scrape_interval: formatDuration(everyMs),
    scrape_timeout: formatDuration(Math.min(everyMs, timeoutMs + 1000)),
    params: { module: [blackboxModule(h, o.profile, o.secretsDir).name] },
    static_configs: [{ targets: [h.url], labels: { [LABEL.service]: svc.name } }],
    relabel_configs: [
      { source_labels: ["__address__"], target_label: "__param_target" },
      { source_labels: ["__param_target"], target_label: "instance" },
      { target_label: "__address__", replacement: o.blackboxAddress },
      ...(h.key ? [{ target_label: "job", replacement: probeJob(svc.name) }] : []),
    ],
  };
}

function appScrape(svc: Service, o: PrometheusConfigOptions): Record<string, unknown> {
  const s = svc.metrics.scrape!;
  const url = new URL(s.url);
  const everyMs = o.profile === "local" ? Math.min(s.everyMs ?? 5000, 5000) : s.everyMs;
  return {
    job_name: svc.name,
    scheme: url.protocol.replace(":", ""),
    metrics_path: url.pathname,
    ...(url.search
      ? { params: Object.fromEntries([...url.searchParams.keys()].map((k) => [k, url.searchParams.getAll(k)])) }
      : {}),
    ...(everyMs ? { scrape_interval: formatDuration(everyMs) } : {}),
    ...(s.bearer
      ? httpClientAuth({ bearer: s.bearer }, o.secretsDir)
      : s.username || s.password
        ? {
            basic_auth: {
              ...(s.username ? { username: s.username } : {}),
              ...(s.password ? { password_file: `${o.secretsDir}/${secretFileName(s.password.secret)}` } : {}),
            },
          }
        : {}),
    static_configs: [{ targets: [url.host], labels: { [LABEL.service]: svc.name } }],
  };
}

export function renderPrometheusConfig(catalog: Catalog, o: PrometheusConfigOptions): string {
  const local = o.profile === "local";
  const interval = local ? "5s" : DEFAULTS.scrapeInterval;
  const config = {
    global: {
      scrape_interval: interval,
      evaluation_interval: local ? "5s" : DEFAULTS.evaluationInterval,
      external_labels: { [LABEL.system]: catalog.system, [LABEL.environment]: catalog.environment },
    },
    rule_files: ["rules/*.yml"],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [o.alertmanagerAddress] }] }] },
    // Sorted by job name so reordering services in the catalog changes nothing.
    scrape_configs: [
      // Alertmanager's own metrics: its failed notifications drive NotificationsFailing.
      { job_name: ALERTMANAGER_JOB, static_configs: [{ targets: [o.alertmanagerAddress] }] },
      ...catalog.services.flatMap((s) => s.health.map((h) => probeScrape(s, h, o))),
      ...catalog.services.filter((s) => s.metrics.scrape).map((s) => appScrape(s, o)),
    ].sort((a, b) => String(a.job_name).localeCompare(String(b.job_name))),
  };
  return toYaml(config, GENERATED_HEADER);
}
