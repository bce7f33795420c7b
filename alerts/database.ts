/**
 * Databases: DatabaseDown when postgres_exporter reports `pg_up` 0 (it cannot reach
 * Postgres), and, for a database whose metrics endpoint this stack scrapes (`metrics.scrape`,
 * scrape job = service name), DatabaseMetricsDown when that scrape fails (`up` 0) or its
 * series vanish: without them every other database alert is blind.
 */
import type { Service } from "../catalog/model";
import { formatDuration, parseDuration } from "../catalog/units";
import { DEFAULTS, JOB_LABEL, METRIC, PANEL } from "../conventions";
import { alertRule, lazily, sel, type AlertSpec } from "./alert";
import type { GenContext } from "./context";
import { crossesAtOnce, scrapeCollection } from "./detection";
import type { AlertRule, Detection, InputSeries, Rule, RuleTest } from "./model";
import { firstEvalAt, gauge, labelsMatching, series } from "./synth";

/** Scrapes without a sample after which a database's series count as vanished. */
const MISSED_SCRAPES = 3;

const DB_UP_PANEL = { key: "database", panel: PANEL.dbUp } as const;

export function databaseDownRules(ctx: GenContext, svc: Service): Rule[] {
  const down = svc.down;
  if (svc.kind !== "database" || !down) return [];
  const pgUp = `${METRIC.pgUp}${sel(svc.metrics.selector)}`;
  const scrape = svc.metrics.scrape;
  const rules: Rule[] = [
    downAlert(ctx, svc, {
      id: `${svc.name}/database_down`,
      alert: "DatabaseDown",
      expr: `min(${pgUp}) == 0`,
      detection: lazily(downDetection, scrape?.everyMs, ctx.profile),
      summary: `${svc.name} database is down`,
      description: `postgres_exporter reports ${METRIC.pgUp} = 0 for ${svc.name} for ${formatDuration(down.forMs)}: it cannot connect to Postgres.`,
      test: lazily(downTest, svc, down),
    }),
  ];
  if (scrape) {
    const scrapeEveryMs =
      ctx.profile === "local"
        ? Math.min(scrape.everyMs ?? 5000, 5000)
        : (scrape.everyMs ?? parseDuration(DEFAULTS.scrapeInterval)!);
    const windowMs = MISSED_SCRAPES * scrapeEveryMs;
    const up = `${METRIC.up}{${JOB_LABEL}="${svc.name}"}`;
    rules.push(
      downAlert(ctx, svc, {
        id: `${svc.name}/database_metrics_down`,
        alert: "DatabaseMetricsDown",
        expr: `max(${up}) == 0 or on () count(absent_over_time(${pgUp}[${formatDuration(windowMs)}]))`,
        detection: lazily(metricsDownDetection, scrape.everyMs, ctx.profile),
        summary: `${svc.name} database metrics endpoint is down`,
        description: `Scraping ${scrape.url} (job ${svc.name}) fails, or ${METRIC.pgUp} has had no sample for ${formatDuration(windowMs)}: ${svc.name}'s database alerts and dashboards are blind.`,
        test: lazily(metricsDownTest, svc, down, scrape.url),
      }),
    );
  }
  return rules;
}

/** A database alert: what both share, written once (one object literal, so one hidden class). */
function downAlert(
  ctx: GenContext,
  svc: Service,
  own: Pick<AlertSpec, "id" | "alert" | "expr" | "detection" | "summary" | "description" | "test">,
): AlertRule {
  const down = svc.down!;
  return alertRule(ctx, {
    id: own.id,
    forMs: down.forMs,
    service: svc.name,
    team: svc.team,
    severity: down.severity,
    signal: "availability",
    runbook: "database_down",
    dashboard: DB_UP_PANEL,
    noData: "OK",
    alert: own.alert,
    expr: own.expr,
    detection: own.detection,
    summary: own.summary,
    description: own.description,
    test: own.test,
  });
}

function downDetection(scrapeEveryMs: number | undefined, profile: "prod" | "local"): Detection {
  return crossesAtOnce("Postgres stops answering postgres_exporter", scrapeCollection(profile, scrapeEveryMs), false);
}

function metricsDownDetection(scrapeEveryMs: number | undefined, profile: "prod" | "local"): Detection {
  return crossesAtOnce(
    "the metrics endpoint stops answering (up 0)",
    scrapeCollection(profile, scrapeEveryMs, true),
    false,
  );
}

type DatabaseDown = NonNullable<Service["down"]>;

const testSteps = (down: DatabaseDown) => Math.ceil((down.forMs + 10 * 60_000) / 60_000) + 5;

function pgUpSeries(s: Record<string, string>, v: number, steps: number): InputSeries[] {
  return [{ series: series(METRIC.pgUp, s), values: gauge(v, steps) }];
}

/** Fire: `pg_up` 0; quiet: 1. */
function downTest(svc: Service, down: DatabaseDown): RuleTest | undefined {
  const s = labelsMatching(svc.metrics.selector);
  if (!s) return undefined;
  const steps = testSteps(down);
  return {
    fire: pgUpSeries(s, 0, steps),
    quiet: pgUpSeries(s, 1, steps),
    evalAfterMs: down.forMs + 5 * 60_000,
    firesAtMs: firstEvalAt(down.forMs, 60_000),
    intervalMs: 60_000,
  };
}

/** Fire: the scrape's `up` 0; quiet: `up` 1 and `pg_up` 1. */
function metricsDownTest(svc: Service, down: DatabaseDown, url: string): RuleTest | undefined {
  const s = labelsMatching(svc.metrics.selector);
  if (!s) return undefined;
  const steps = testSteps(down);
  const target = { [JOB_LABEL]: svc.name, instance: new URL(url).host };
  const upSeries = (v: number): InputSeries => ({ series: series(METRIC.up, target), values: gauge(v, steps) });
  return {
    fire: [upSeries(0)],
    quiet: [upSeries(1), ...pgUpSeries(s, 1, steps)],
    evalAfterMs: down.forMs + 5 * 60_000,
    firesAtMs: firstEvalAt(down.forMs, 60_000),
    intervalMs: 60_000,
  };
}
