/**
 * Alert state over a series of evaluations, as Prometheus' rule manager keeps it: a label set
 * returned by the expression is pending from the first evaluation it appears at and firing
 * once it has been returned at every evaluation for at least `for`; it is gone at the first
 * evaluation that does not return it.
 */
import type { RangeSeries } from "./prometheus";

/** The evaluation times: `startMs` (warm-up included) + k·`stepMs` up to `endMs`. */
export interface Grid {
  startMs: number;
  endMs: number;
  stepMs: number;
}

export interface Episode {
  start: number;
  /** First evaluation at which the alert no longer fires; null when still firing at the end. */
  end: number | null;
}

export const slots = (g: Grid) => Math.floor((g.endMs - g.startMs) / g.stepMs) + 1;

/** Per evaluation of `grid`, whether the alert of this label set is firing. */
export function firingAt(series: RangeSeries, grid: Grid, forMs: number): Uint8Array {
  const firing = new Uint8Array(slots(grid));
  let activeAt = -1;
  let previous = -2;
  for (const t of [...series.times].sort((a, b) => a - b)) {
    const k = Math.round((t - grid.startMs) / grid.stepMs);
    if (k < 0 || k >= firing.length) continue;
    if (k !== previous + 1) activeAt = t;
    previous = k;
    if (t - activeAt >= forMs) firing[k] = 1;
  }
  return firing;
}

/** Episodes of firing evaluations within [fromMs, grid.endMs]. */
export function episodesOf(firing: Uint8Array, grid: Grid, fromMs: number): Episode[] {
  const out: Episode[] = [];
  let open: Episode | undefined;
  for (let k = firstSlot(grid, fromMs); k < firing.length; k++) {
    const t = grid.startMs + k * grid.stepMs;
    if (firing[k] && !open) out.push((open = { start: t, end: null }));
    else if (!firing[k] && open) {
      open.end = t;
      open = undefined;
    }
  }
  return out;
}

/** Index of the first evaluation at or after `fromMs`. */
export function firstSlot(grid: Grid, fromMs: number): number {
  return Math.max(0, Math.ceil((fromMs - grid.startMs) / grid.stepMs));
}

/** Seconds the alert fired: each episode up to its end, or up to `endMs` while still firing. */
export function firingSeconds(episodes: Episode[], endMs: number): number {
  return episodes.reduce((sum, e) => sum + ((e.end ?? endMs) - e.start) / 1000, 0);
}
