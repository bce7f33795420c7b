/**
 * The render and plan rows of `npm run bench`: each size's render (validate + render) and plan
 * (computed directly + provider facts) timed in one process, after a warm-up at 10 services.
 */
import { renderArtifacts, type Artifacts } from "../artifacts";
import { validateCatalog } from "../catalog/validate";
import { planStack } from "../infra/offline-engine";
import { generateCatalog } from "./catalog";

/** Catalog sizes of the render and plan rows, in the order they are measured. */
export const SIZES = [10, 100, 1000, 10_000];

export interface Timed<T> {
  value: T;
  ms: number;
  cpuMs: number;
}

/** Wall-clock and CPU milliseconds of `work` (CPU of the whole process, the engine's thread included). */
export async function timed<T>(work: () => T | Promise<T>): Promise<Timed<T>> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { value, ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000 };
}

/** Module loading and JIT warm-up are not what a catalog costs. */
export async function warmUp(): Promise<void> {
  await planStack(generateCatalog(10), "prod");
  renderArtifacts(validateCatalog(generateCatalog(10)));
}

export function timedRender(raw: unknown): Promise<Timed<Artifacts>> {
  return timed(() => renderArtifacts(validateCatalog(raw)));
}

/** The plan's resource count, or its error message. */
export function timedPlan(raw: unknown): Promise<Timed<number | string>> {
  return timed(() =>
    planStack(raw, "prod").then(
      (run) => run.resources.length,
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    ),
  );
}
