/** The `--from`/`--to` instants and `--step` of a backtest. */
import { parseDuration } from "../catalog/units";

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const RELATIVE = /^now(?:-(.+))?$/;

/** RFC 3339, Unix seconds, `now` or `now-<duration>` → epoch milliseconds, else undefined. */
export function parseInstant(value: string, nowMs: number): number | undefined {
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  if (RFC3339.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  const rel = RELATIVE.exec(value);
  if (!rel) return undefined;
  if (rel[1] === undefined) return nowMs;
  const back = parseDuration(rel[1]);
  return back === undefined ? undefined : nowMs - back;
}

/** `2026-11-18T00:00:00Z`: RFC 3339 in UTC, milliseconds only when not whole seconds. */
export function formatInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % 1000 === 0 ? iso.replace(/\.000Z$/, "Z") : iso;
}
