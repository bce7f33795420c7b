/**
 * Memoisation of pure functions of a string or number. Catalogs repeat the same few selectors,
 * regexes, durations and bounds across hundreds of services; each distinct one is parsed,
 * compiled or formatted once.
 */

const LIMIT = 100_000;

/** A pure function of a string or number, computed once per argument (the cache is emptied at 100,000 entries). */
export function memoized<V, K extends string | number = string>(compute: (key: K) => V): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    const hit = cache.get(key);
    if (hit !== undefined || cache.has(key)) return hit as V;
    if (cache.size >= LIMIT) cache.clear();
    const value = compute(key);
    cache.set(key, value);
    return value;
  };
}
