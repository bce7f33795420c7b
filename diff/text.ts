/** Small formatting helpers shared by the section differs. */

/** `a, b` for lists, `(none)` when empty. */
export function list(values: readonly string[]): string {
  return values.length ? values.join(", ") : "(none)";
}

/** `+x -y` between two lists (order ignored), empty when they hold the same values. */
export function setChange(before: readonly string[], after: readonly string[]): string {
  const added = after.filter((v) => !before.includes(v)).map((v) => `+${v}`);
  const removed = before.filter((v) => !after.includes(v)).map((v) => `-${v}`);
  return [...added, ...removed].join(" ");
}

/** `name a -> b` when the values differ, else nothing. */
export function change(name: string, before: string | undefined, after: string | undefined): string[] {
  return before === after ? [] : [`${name} ${before ?? "(none)"} -> ${after ?? "(none)"}`];
}

/** Entries of two keyed collections: keys of both, sorted. */
export function keyed<T>(
  before: readonly T[],
  after: readonly T[],
  key: (item: T) => string,
): Array<[string, T | undefined, T | undefined]> {
  const a = new Map(before.map((x) => [key(x), x]));
  const b = new Map(after.map((x) => [key(x), x]));
  return [...new Set([...a.keys(), ...b.keys()])].sort().map((k) => [k, a.get(k), b.get(k)]);
}

/** Deterministic JSON with sorted object keys, for "did anything change" checks. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

/** `1 panel`, `2 panels`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
