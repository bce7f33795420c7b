/**
 * The incident each alert family is stated against and how long its expression takes to cross
 * under it (the `Detection` of an alert). The bound itself (collection, evaluation, `for`,
 * notification delays added) is in detection-bounds.ts.
 *
 * Incidents: a full outage for probes, error rates and availability SLOs (every request fails);
 * a step to twice the threshold for latency, saturation, quotas and budgets; a stopped job for
 * heartbeats.
 */
import type { HealthCheck } from "../catalog/model";
import { formatDuration, formatNumber, formatPercent, parseDuration } from "../catalog/units";
import { probeTiming } from "../checks/blackbox";
import { DEFAULTS } from "../conventions";
import type { Detection } from "./model";

/** Prometheus' default `scrape_timeout`. */
const SCRAPE_TIMEOUT_MS = 10_000;
/** Scrape interval of the local profile (prometheus.yml `global.scrape_interval`). */
const LOCAL_SCRAPE_MS = 5_000;

type Collection = NonNullable<Detection["collection"]>;

/** Without float noise (14.4 × 5% is 0.7200000000000001), which would round a crossing up a whole scrape. */
const exact = (ms: number) => Number(ms.toPrecision(12));

/** A health check's probe: its interval (SM frequency in prod) and timeout, as the target runs it. */
export function probeCollection(h: HealthCheck, profile: "prod" | "local"): Collection {
  const { everyMs, timeoutMs } = probeTiming(h, profile);
  return { what: "probe", everyMs, timeoutMs };
}

/**
 * A scraped series: the job's own interval (`metrics.scrape.every`) or the global one. The
 * timeout only counts for incidents that make the scrape itself fail (`up` 0).
 */
export function scrapeCollection(profile: "prod" | "local", everyMs?: number, withTimeout = false): Collection {
  const every =
    profile === "local"
      ? Math.min(everyMs ?? LOCAL_SCRAPE_MS, LOCAL_SCRAPE_MS)
      : (everyMs ?? parseDuration(DEFAULTS.scrapeInterval)!);
  return { what: "scrape", everyMs: every, timeoutMs: withTimeout ? Math.min(SCRAPE_TIMEOUT_MS, every) : 0 };
}

/** A value read as it is (a gauge, a probe's last result): it crosses with the first sample of the incident. */
export function crossesAtOnce(incident: string, collection: Collection, readsRecords: boolean): Detection {
  return { incident, collection, crossMs: 0, crossing: "first sample of the incident", readsRecords };
}

/**
 * A share averaged over `windowMs` (an error ratio, a quantile's slow share) that rises from 0
 * to 100% of the window as the incident lasts: it passes `share` after `share` × window.
 */
export function windowShare(
  incident: string,
  collection: Collection,
  share: number,
  windowMs: number,
  readsRecords: boolean,
): Detection {
  const crossMs = share < 1 ? exact(share * windowMs) : Infinity;
  return {
    incident,
    collection,
    crossMs,
    crossing: `${formatPercent(share)} of the ${formatDuration(windowMs)} window${share < 1 ? "" : ": never crosses"}`,
    readsRecords,
  };
}

/**
 * Multi-window burn rates under a full outage: a pair fires once both its windows' error ratio
 * exceeds factor × budget, i.e. after factor × budget of its long window; the first pair to
 * fire decides. A pair whose factor × budget is 100% or more never fires.
 */
export function burnCrossing(
  incident: string,
  collection: Collection,
  budget: number,
  pairs: Array<{ factor: number; long: string; short: string }>,
): Detection {
  const options = pairs.map(({ factor, long, short }) => {
    const share = factor * budget;
    const longMs = parseDuration(long)!;
    return { crossMs: share < 1 ? exact(share * longMs) : Infinity, factor, long, short, share };
  });
  const first = options.reduce((a, b) => (b.crossMs < a.crossMs ? b : a));
  return {
    incident,
    collection,
    crossMs: first.crossMs,
    crossing:
      first.crossMs === Infinity
        ? `no burn-rate pair can cross: ${formatNumber(first.factor)} × the ${formatPercent(budget)} budget is over 100%`
        : `${formatNumber(first.factor)} × ${formatPercent(budget)} budget = ${formatPercent(first.share)} of ${first.long} (both windows ${first.long} and ${first.short} over)`,
    readsRecords: true,
  };
}

/** A condition on the time since the last sample (heartbeats) or on its absence: crosses `afterMs` after the last one. */
export function silenceFor(incident: string, afterMs: number, what: string, readsRecords = false): Detection {
  return { incident, crossMs: afterMs, crossing: `${formatDuration(afterMs)} ${what}`, readsRecords };
}
