/**
 * One more sample of `npm run bench`'s render row at `n` services (argument, default 1000), in a
 * fresh process that first does what the bench does before it: the warm-up, then the render and
 * plan of each smaller size. Prints `{"ms": …, "cpuMs": …}`.
 */
import { generateCatalog } from "./catalog";
import { SIZES, timedPlan, timedRender, warmUp } from "./scale";

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 1000);
  await warmUp();
  for (const smaller of SIZES.filter((s) => s < n)) {
    const raw = generateCatalog(smaller);
    await timedRender(raw);
    await timedPlan(raw);
  }
  const { ms, cpuMs } = await timedRender(generateCatalog(n));
  console.log(JSON.stringify({ ms, cpuMs }));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
