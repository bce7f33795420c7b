/** Parsing and canonical formatting of the catalog's scalar units: durations, percentages, severities. */
import { memoized } from "./memo";

export const SEVERITIES = ["P0", "P1", "P2", "P3"] as const;
export type Severity = (typeof SEVERITIES)[number];

const SEVERITY_ALIASES: ReadonlyMap<string, Severity> = new Map([
  ["p0", "P0"],
  ["sev1", "P0"],
  ["critical", "P0"],
  ["p1", "P1"],
  ["sev2", "P1"],
  ["high", "P1"],
  ["p2", "P2"],
  ["sev3", "P2"],
  ["medium", "P2"],
  ["p3", "P3"],
  ["sev4", "P3"],
  ["low", "P3"],
]);

/** `P0..P3`, `SEV1..SEV4` or `critical|high|medium|low` (any case) → canonical severity, else undefined. */
export function parseSeverity(value: string): Severity | undefined {
  return SEVERITY_ALIASES.get(value.trim().toLowerCase());
}

export const SEVERITY_HELP = "P0..P3, SEV1..SEV4 or critical|high|medium|low";

const DURATION_UNITS: Array<[string, number]> = [
  ["y", 365 * 24 * 3600_000],
  ["w", 7 * 24 * 3600_000],
  ["d", 24 * 3600_000],
  ["h", 3600_000],
  ["m", 60_000],
  ["s", 1000],
  ["ms", 1],
];
const UNIT_MS = new Map(DURATION_UNITS);
const DURATION_RE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w|y))+$/;
const DURATION_PART_RE = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g;

/** Longest duration Prometheus (Go's int64 nanoseconds) can hold, about 292 years; longer ones are "out of range". */
export const MAX_DURATION_MS = Math.floor(Number(2n ** 63n - 1n) / 1e6);

/**
 * A duration (`"90s"`, `"1h30m"`, `"30d"`, and with decimals `"1.5s"`, `"0.5h"`) in whole
 * milliseconds, or undefined when malformed, finer than a millisecond (`"1.0005s"`) or longer
 * than Prometheus can hold (`MAX_DURATION_MS`).
 * Decimals are ours: `formatDuration` renders the result the way Prometheus and Grafana
 * accept (`1.5s` → `1s500ms`).
 */
export const parseDuration: (value: string) => number | undefined = memoized((value) => {
  if (!DURATION_RE.test(value)) return undefined;
  let total = 0;
  for (const [, n, unit] of value.matchAll(DURATION_PART_RE)) total += Number(n) * UNIT_MS.get(unit)!;
  const rounded = Math.round(total);
  return Math.abs(total - rounded) < 1e-6 && rounded <= MAX_DURATION_MS ? rounded : undefined;
});

/**
 * The canonical Prometheus spelling of a duration (Prometheus' `model.Duration.String`), the
 * form Prometheus and Grafana print back: `3600000` → `"1h"`, `5400000` → `"1h30m"`; years and
 * weeks only when exact (`14d` → `"2w"`, `30d` → `"30d"`), so nothing diffs after a round trip.
 */
export const formatDuration: (ms: number) => string = memoized((ms: number) => {
  if (ms === 0) return "0s";
  let rest = ms;
  let out = "";
  for (const [unit, size] of DURATION_UNITS) {
    if ((unit === "y" || unit === "w") && rest % size !== 0) continue;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
});

const PERCENT_RE = /^(\d+(?:\.\d+)?)%$/;

/** `"5%"` → `0.05`; undefined when not a percentage string. */
export function parsePercent(value: string): number | undefined {
  const m = PERCENT_RE.exec(value.trim());
  return m ? Number(m[1]) / 100 : undefined;
}

/** `0.05` → `"5%"`, with no float noise (`0.001` → `"0.1%"`). */
export const formatPercent: (ratio: number) => string = memoized(
  (ratio: number) => `${Number((ratio * 100).toPrecision(12))}%`,
);

/** A float printed without exponent noise, for PromQL literals. */
export const formatNumber: (n: number) => string = memoized((n: number) => String(Number(n.toPrecision(12))));

const BYTE_UNITS: Record<string, number> = {
  B: 1,
  kB: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
};
const BYTES_RE = /^(\d+(?:\.\d+)?)\s*(B|kB|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/;

/** `"500MB"` → 5e8, `"1GiB"` → 2^30 (MB/GB decimal as providers bill, MiB/GiB binary); undefined when malformed. */
export function parseBytes(value: string): number | undefined {
  const m = BYTES_RE.exec(value.trim());
  return m ? Math.round(Number(m[1]) * BYTE_UNITS[m[2]]) : undefined;
}
