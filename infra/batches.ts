/**
 * Registering thousands of resources in one synchronous loop starts every one's input
 * serialisation at once, and the Pulumi runtime interleaves them all: at 10,000 services the
 * offline engine held every rule group's half-serialised inputs together and ran out of heap.
 * `inBatches` creates resources a batch at a time and lets each batch's registration run
 * before creating the next, so at most `BATCH_SIZE` are in flight.
 */

/** Resources created before the program yields to the runtime. */
export const BATCH_SIZE = 100;

const yieldToRuntime = () => new Promise<void>((resolve) => setImmediate(resolve));

/** `create` for every item, `BATCH_SIZE` at a time; resolves once all are created. */
export async function inBatches<T, R>(items: readonly T[], create: (item: T) => R): Promise<R[]> {
  const created: R[] = [];
  for (let i = 0; i < items.length; i += BATCH_SIZE) {
    if (i > 0) await yieldToRuntime();
    for (const item of items.slice(i, i + BATCH_SIZE)) created.push(create(item));
  }
  return created;
}
