/** Generated catalogs of any size with a realistic mix of kinds, for the benchmark and scale tests. */

const KINDS = ["frontend", "api", "edge-function", "database", "job", "llm"] as const;

function service(i: number): Record<string, unknown> {
  const kind = KINDS[i % KINDS.length];
  const name = `${kind}-${i}`;
  const health = { url: `https://${name}.example.com/api/health`, every: "1m", expect_body: '"status":"(ok|healthy)"' };
  switch (kind) {
    case "frontend":
      return {
        name,
        kind,
        team: `team-${i % 7}`,
        health,
        slos: [
          { name: "availability", sli: "availability", objective: 99.9 },
          { name: "latency", sli: "latency", objective: 95, threshold: "500ms" },
        ],
        thresholds: { error_rate: { P1: "5%", P2: "1%" }, latency_p95: { P1: "5s", P2: "2s" } },
        vercel: {
          project: `${name}-app`,
          env: {
            NEXT_PUBLIC_APP_NAME: { value: name, targets: ["production", "preview"] },
            API_KEY: { secret: `apiKey${i}`, targets: ["production"], rotate_every: "90d" },
          },
        },
      };
    case "api":
      return {
        name,
        kind,
        health,
        slos: [{ name: "availability", sli: "availability", objective: 99.5 }],
        thresholds: { error_rate: { P1: "10%" }, latency_p99: { P2: "3s" } },
      };
    case "edge-function":
      return { name, kind, health, thresholds: { error_rate: { P0: "50%", P2: "5%" }, latency_p95: { P2: "3s" } } };
    case "database":
      return { name, kind, thresholds: { connections: { P1: "90%", P2: "75%" }, replication_lag: { P2: "1m" } } };
    case "job":
      return { name, kind, heartbeat: "1h" };
    case "llm":
      return { name, kind, thresholds: { error_rate: { P2: "5%" }, latency_p95: { P2: "20s" } } };
  }
}

/** A raw catalog (as a user would write it) with `count` services. */
export function generateCatalog(count: number, system = "bench"): Record<string, unknown> {
  return {
    system,
    grafana: { url: "https://bench.grafana.net" },
    telemetry: { otlp_endpoint: "https://otlp.example.com/otlp", otlp_headers: { secret: "otlpHeaders" } },
    services: Array.from({ length: count }, (_, i) => service(i)),
    external_apis: Array.from({ length: 5 }, (_, i) => ({
      name: `vendor-${i}`,
      quota: 1000 * (i + 1),
      alert_at: "80%",
      failure_rate: { P2: "5%" },
    })),
    budget: { monthly_usd: 270, alert_at: "80%" },
    alerting: {
      routes: { P0: ["pagerduty", "slack"], P1: ["slack", "email"], P2: ["email"], P3: [] },
      contacts: {
        pagerduty: { type: "pagerduty", integration_key: { secret: "pagerdutyKey" } },
        slack: { type: "slack", url: { secret: "slackWebhookUrl" } },
        email: { type: "email", to: ["ops@example.com"] },
      },
    },
    github: {
      repository: "acme/bench",
      secrets: { GRAFANA_DEPLOY_TOKEN: "grafana-deploy-token" },
      variables: { GRAFANA_URL: "grafana-url" },
    },
  };
}
