/**
 * Memoisation of pure string functions. Catalogs repeat the same few selectors, regexes and
 * durations across hundreds of services; each distinct text is parsed or compiled once.
 */

const LIMIT = 100_000;

/** A pure function of a string, computed once per argument (the cache is emptied at 100,000 entries). */
export function memoized<V>(compute: (key: string) => V): (key: string) => V {
  const cache = new Map<string, V>();
  return (key) => {
    if (cache.has(key)) return cache.get(key)!;
    if (cache.size >= LIMIT) cache.clear();
    const value = compute(key);
    cache.set(key, value);
    return value;
  };
}
