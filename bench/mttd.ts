/**
 * Mean time to detect a full outage in local mode: `bin/ops-monitoring start` with the demo
 * catalog, the demo app's health check broken as soon as `start` says ready, and the time until
 * the sink receives the firing ProbeDown, next to the bound `start` prints for it (the worst case
 * of each step: probe interval + timeout + evaluation + `for` + group_wait), which the time should
 * not exceed; and how long `start` took to be ready (monitoring: local/monitoring-ready.ts).
 */
import { spawnStart, stopStart, until } from "../local/start-process";

export async function measureMttd(): Promise<{ mttdMs: number; bound: string; readyMs: number }> {
  const spawnedAt = Date.now();
  const start = spawnStart([]);
  try {
    await start.waitForLine(/\bready\b/, 60_000);
    const readyMs = Date.now() - spawnedAt;
    const boundLine = await start.waitForLine(/ProbeDown P\d for \S+ within /, 5_000);
    const bound = boundLine.slice(boundLine.indexOf("within ") + "within ".length).replace(/\)$/, "");
    const { "demo app": demo, sink } = start.urls;
    const injectedAt = Date.now();
    await fetch(`${demo}/control/outage?mode=down`, { method: "POST" });
    const firing = await until("ProbeDown at the sink", 120_000, async () => {
      const alerts = (await (await fetch(`${sink}/alerts`)).json()) as Array<{
        alertname: string;
        status: string;
        receivedAt: number;
      }>;
      return alerts.find((a) => a.alertname === "ProbeDown" && a.status === "firing" && a.receivedAt >= injectedAt);
    });
    return { mttdMs: firing.receivedAt - injectedAt, bound, readyMs };
  } finally {
    await stopStart(start);
  }
}
