/** Database (Supabase Postgres): connections against the limit, query latency, cache hits, replication lag, up. */
import { LABEL, LATENCY_QUANTILES, PANEL, QUANTILE_LABEL, REC } from "../conventions";
import type { DashboardSpec } from "./frame";
import { timeseriesPanel } from "./panels";
import { latencyQuantile, ofServices, thresholdLines } from "./queries";

const SERVICE_LEGEND = `{{${LABEL.service}}}`;

export function databaseDashboard(): DashboardSpec {
  return {
    key: "database",
    description:
      "Postgres (Supabase) health: connections against max_connections, query latency, buffer cache hit ratio and replication lag.",
    service: { query: REC.dbConnections, multi: true },
    panels: [
      timeseriesPanel({
        id: 1,
        title: PANEL.dbConnections,
        description: "Backends connected; dashed: max_connections.",
        w: 12,
        h: 8,
        unit: "short",
        queries: [
          { expr: ofServices(REC.dbConnections), legend: `${SERVICE_LEGEND} connections` },
          { expr: ofServices(REC.dbMaxConnections), legend: `${SERVICE_LEGEND} max`, line: true },
        ],
      }),
      timeseriesPanel({
        id: 2,
        title: PANEL.dbLatency,
        description: "Query duration percentiles as seen by clients; dashed: latency alert thresholds.",
        w: 12,
        h: 8,
        unit: "s",
        queries: [
          { expr: latencyQuantile(LATENCY_QUANTILES.p50), legend: `${SERVICE_LEGEND} p50` },
          { expr: latencyQuantile(LATENCY_QUANTILES.p95), legend: `${SERVICE_LEGEND} p95` },
          { expr: latencyQuantile(LATENCY_QUANTILES.p99), legend: `${SERVICE_LEGEND} p99` },
          {
            expr: thresholdLines("latency"),
            legend: `${SERVICE_LEGEND} {{${LABEL.severity}}} threshold (q{{${QUANTILE_LABEL}}})`,
            line: true,
          },
        ],
      }),
      timeseriesPanel({
        id: 3,
        title: PANEL.dbCacheHit,
        description: "Share of block reads served from the buffer cache (healthy: above 99%).",
        w: 12,
        h: 8,
        unit: "percentunit",
        queries: [{ expr: ofServices(REC.dbCacheHit), legend: SERVICE_LEGEND }],
        steps: ["red", [0.95, "orange"], [0.99, "green"]],
      }),
      timeseriesPanel({
        id: 4,
        title: PANEL.dbReplicationLag,
        description: "Seconds the replicas are behind the primary.",
        w: 12,
        h: 8,
        unit: "s",
        queries: [{ expr: ofServices(REC.dbReplicationLag), legend: SERVICE_LEGEND }],
      }),
      timeseriesPanel({
        id: 5,
        title: PANEL.dbUp,
        description:
          "postgres_exporter's pg_up: 1 connected, 0 Postgres unreachable; no line: the metrics endpoint is not scraped.",
        w: 12,
        h: 8,
        unit: "short",
        queries: [{ expr: ofServices(REC.dbUp), legend: SERVICE_LEGEND }],
      }),
    ],
  };
}
