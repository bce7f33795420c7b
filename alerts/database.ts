/**
 * Databases: DatabaseDown when postgres_exporter reports `pg_up` 0 (it cannot reach
 * Postgres), and, for a database whose metrics endpoint this stack scrapes (`metrics.scrape`,
 * scrape job = service name), DatabaseMetricsDown when that scrape fails (`up` 0) or its
 * series vanish: without them every other database alert is blind.
 */
import type { Service } from "../catalog/model";
import { formatDuration, parseDuration } from "../catalog/units";
import { DEFAULTS, JOB_LABEL, METRIC, PANEL } from "../conventions";
import { alertRule, sel } from "./alert";
import type { GenContext } from "./context";
import { crossesAtOnce, scrapeCollection } from "./detection";
import type { InputSeries, Rule } from "./model";
import { firstEvalAt, gauge, labelsMatching, series } from "./synth";

/** Scrapes without a sample after which a database's series count as vanished. */
const MISSED_SCRAPES = 3;

const DB_UP_PANEL = { key: "database", panel: PANEL.dbUp } as const;

export function databaseDownRules(ctx: GenContext, svc: Service): Rule[] {
  const down = svc.down;
  if (svc.kind !== "database" || !down) return [];
  const pgUp = `${METRIC.pgUp}${sel(svc.metrics.selector)}`;
  const steps = Math.ceil((down.forMs + 10 * 60_000) / 60_000) + 5;
  // Test series are built on demand: only `verify` reads them.
  const pgUpSeries = (s: Record<string, string>, v: number): InputSeries[] => [
    { series: series(METRIC.pgUp, s), values: gauge(v, steps) },
  ];
  const scrape = svc.metrics.scrape;
  const rules: Rule[] = [
    alertRule(ctx, {
      id: `${svc.name}/database_down`,
      forMs: down.forMs,
      service: svc.name,
      team: svc.team,
      severity: down.severity,
      signal: "availability",
      runbook: "database_down",
      dashboard: DB_UP_PANEL,
      noData: "OK",
      alert: "DatabaseDown",
      expr: `min(${pgUp}) == 0`,
      detection: () =>
        crossesAtOnce(
          "Postgres stops answering postgres_exporter",
          scrapeCollection(ctx.profile, scrape?.everyMs),
          false,
        ),
      summary: `${svc.name} database is down`,
      description: `postgres_exporter reports ${METRIC.pgUp} = 0 for ${svc.name} for ${formatDuration(down.forMs)}: it cannot connect to Postgres.`,
      test: () => {
        const s = labelsMatching(svc.metrics.selector);
        return s
          ? {
              fire: pgUpSeries(s, 0),
              quiet: pgUpSeries(s, 1),
              evalAfterMs: down.forMs + 5 * 60_000,
              firesAtMs: firstEvalAt(down.forMs, 60_000),
              intervalMs: 60_000,
            }
          : undefined;
      },
    }),
  ];
  if (scrape) {
    const scrapeEveryMs =
      ctx.profile === "local"
        ? Math.min(scrape.everyMs ?? 5000, 5000)
        : (scrape.everyMs ?? parseDuration(DEFAULTS.scrapeInterval)!);
    const windowMs = MISSED_SCRAPES * scrapeEveryMs;
    const up = `${METRIC.up}{${JOB_LABEL}="${svc.name}"}`;
    const target = { [JOB_LABEL]: svc.name, instance: new URL(scrape.url).host };
    const upSeries = (v: number): InputSeries => ({ series: series(METRIC.up, target), values: gauge(v, steps) });
    rules.push(
      alertRule(ctx, {
        id: `${svc.name}/database_metrics_down`,
        forMs: down.forMs,
        service: svc.name,
        team: svc.team,
        severity: down.severity,
        signal: "availability",
        runbook: "database_down",
        dashboard: DB_UP_PANEL,
        noData: "OK",
        alert: "DatabaseMetricsDown",
        expr: `max(${up}) == 0 or on () count(absent_over_time(${pgUp}[${formatDuration(windowMs)}]))`,
        detection: () =>
          crossesAtOnce(
            "the metrics endpoint stops answering (up 0)",
            scrapeCollection(ctx.profile, scrape.everyMs, true),
            false,
          ),
        summary: `${svc.name} database metrics endpoint is down`,
        description: `Scraping ${scrape.url} (job ${svc.name}) fails, or ${METRIC.pgUp} has had no sample for ${formatDuration(windowMs)}: ${svc.name}'s database alerts and dashboards are blind.`,
        test: () => {
          const s = labelsMatching(svc.metrics.selector);
          return s
            ? {
                fire: [upSeries(0)],
                quiet: [upSeries(1), ...pgUpSeries(s, 1)],
                evalAfterMs: down.forMs + 5 * 60_000,
                firesAtMs: firstEvalAt(down.forMs, 60_000),
                intervalMs: 60_000,
              }
            : undefined;
        },
      }),
    );
  }
  return rules;
}
