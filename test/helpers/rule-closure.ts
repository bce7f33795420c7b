/** Every PromQL-identifier-like token of `text`: alert names, recorded metric names, labels. */
export const names = (text: string) => new Set(text.match(/[A-Za-z_:][\w:]*/g));

/**
 * The names `seed` mentions, grown by the names in the text of every rule it names, until no
 * rule adds one: the rules a test or query reads, and the recording rules those read, transitively.
 */
export function namesRead<R>(
  rules: R[],
  seed: string,
  nameOf: (r: R) => string,
  textOf: (r: R) => string,
): Set<string> {
  const needed = names(seed);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rules.filter((r) => needed.has(nameOf(r))))
      for (const n of names(textOf(r)))
        if (!needed.has(n)) {
          needed.add(n);
          grew = true;
        }
  }
  return needed;
}
