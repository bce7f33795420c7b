/**
 * `secrets [--catalog F] [--today YYYY-MM-DD]`: every secret Vercel env var with its rotation
 * period, last rotation and due date. Exit 1 when one is due or overdue, or has a period but no
 * `rotated_at` (a scheduled job turns that into an issue). Prints names, never values.
 */
import { CatalogError, type Diagnostic } from "../catalog/diagnostics";
import { formatDuration } from "../catalog/units";
import { vercelEnvSpecs, type VercelEnvSpec } from "../env/vercel-env";
import { stringFlag, UsageError, type Args } from "./args";
import { loadInputs } from "./inputs";

const DAY_MS = 24 * 3600_000;

export type RotationStatus = "ok" | "due" | "overdue" | "unknown" | "no-policy";

export interface RotationEntry {
  service: string;
  project: string;
  key: string;
  secret: string;
  rotateEvery?: string;
  rotatedAt?: string;
  /** ISO date by which the secret must be rotated. */
  due?: string;
  /** Days from `today` to `due`; negative when overdue. */
  daysLeft?: number;
  status: RotationStatus;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function parseDay(value: string, what: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  if (Number.isNaN(ms) || isoDay(ms) !== value)
    throw new UsageError(`${what} "${value}" is not a date like 2026-09-01`);
  return ms;
}

/**
 * Rotation state of every secret env var on `today` (ISO date); `due` means due today. A
 * `rotated_at` after `today` is a typo or a guess, never "ok": every such date is refused at once.
 */
export function rotationReport(specs: readonly VercelEnvSpec[], today: string, source = "catalog"): RotationEntry[] {
  const now = parseDay(today, "--today");
  const seen = new Set<string>();
  const future: Diagnostic[] = [];
  const entries = specs.flatMap((s): RotationEntry[] => {
    if (!("secret" in s.source)) return [];
    // A secret split over targets (sensitive production/preview, encrypted development) is one secret to rotate.
    const id = `${s.project}\u0000${s.key}\u0000${s.source.secret}`;
    if (seen.has(id)) return [];
    seen.add(id);
    const base = { service: s.service, project: s.project, key: s.key, secret: s.source.secret };
    if (s.rotateEveryMs === undefined)
      return [{ ...base, ...(s.rotatedAt ? { rotatedAt: s.rotatedAt } : {}), status: "no-policy" }];
    const rotateEvery = formatDuration(s.rotateEveryMs);
    if (!s.rotatedAt) return [{ ...base, rotateEvery, status: "unknown" }];
    const field = `services[${s.service}].vercel.env.${s.key}.rotated_at`;
    const rotatedMs = parseDay(s.rotatedAt, field);
    if (rotatedMs > now)
      future.push({
        path: field,
        message: `"${s.rotatedAt}" is after today (${today}): set the date of the last rotation`,
      });
    const dueMs = rotatedMs + Math.ceil(s.rotateEveryMs / DAY_MS) * DAY_MS;
    const daysLeft = Math.round((dueMs - now) / DAY_MS);
    const status: RotationStatus = daysLeft < 0 ? "overdue" : daysLeft === 0 ? "due" : "ok";
    return [{ ...base, rotateEvery, rotatedAt: s.rotatedAt, due: isoDay(dueMs), daysLeft, status }];
  });
  if (future.length) throw new CatalogError(future, source);
  return entries;
}

/** Whether an entry needs someone to act now. */
export function needsRotation(entry: RotationEntry): boolean {
  return entry.status === "overdue" || entry.status === "due" || entry.status === "unknown";
}

function describe(e: RotationEntry): string {
  switch (e.status) {
    case "no-policy":
      return "no rotate_every";
    case "unknown":
      return `rotate every ${e.rotateEvery}, rotated_at missing: set it to the date of the last rotation`;
    default: {
      const when =
        e.status === "overdue"
          ? `OVERDUE by ${-e.daysLeft!} days`
          : e.status === "due"
            ? "DUE today"
            : `ok, ${e.daysLeft} days left`;
      return `rotate every ${e.rotateEvery}, rotated ${e.rotatedAt}, due ${e.due}: ${when}`;
    }
  }
}

export function run(args: Args): number {
  const today = stringFlag(args, "today", isoDay(Date.now()));
  const { catalog, path } = loadInputs(args);
  const entries = rotationReport(vercelEnvSpecs(catalog), today, path);
  console.log(`secret env vars in ${path} on ${today}:`);
  for (const e of entries)
    console.log(`  ${e.service} ${e.key} (project ${e.project}, secret ${e.secret}): ${describe(e)}`);
  const late = entries.filter(needsRotation);
  console.log(
    late.length
      ? `${late.length} secret${late.length === 1 ? "" : "s"} to rotate: ${late.map((e) => `${e.service} ${e.key}`).join(", ")}`
      : "nothing to rotate",
  );
  return late.length ? 1 : 0;
}
