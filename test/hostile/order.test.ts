/**
 * Same meaning, same bytes: reordering a service's SLOs, a route's contacts or an escalation's
 * contacts changes no rendered file and no input of the Pulumi plan (no needless update).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { renderArtifacts } from "../../artifacts";
import { validateCatalog } from "../../catalog/validate";
import { runProgramUnderMocks } from "../../infra/offline-engine";

const contacts = {
  pd: { type: "pagerduty", integration_key: { secret: "pdKey" } },
  chat: { type: "slack", url: { secret: "slackUrl" }, channel: "#ops" },
  mail: { type: "email", to: ["ops@shop.example"] },
};

function catalog(reversed: boolean): unknown {
  const order = <T>(items: T[]): T[] => (reversed ? [...items].reverse() : items);
  return {
    system: "shop",
    grafana: { url: "https://grafana.shop.example" },
    runbooks: { base_url: "https://wiki.shop.example/runbooks" },
    services: [
      {
        name: "api",
        kind: "api",
        health: { url: "https://api.shop.example/health" },
        slos: order([
          { name: "availability", sli: "availability", objective: 99.9 },
          { name: "fast", sli: "latency", objective: 95, threshold: "500ms" },
          { name: "probe", sli: "probe", objective: 99.5 },
        ]),
      },
    ],
    alerting: {
      routes: { P0: order(["pd", "chat", "mail"]), P1: order(["chat", "mail"]), P2: ["mail"], P3: [] },
      contacts,
    },
  };
}

test("reordering SLOs and route contacts renders byte-identical artifacts", () => {
  const a = renderArtifacts(validateCatalog(catalog(false)));
  const b = renderArtifacts(validateCatalog(catalog(true)));
  assert.deepEqual(Object.keys(b), Object.keys(a));
  for (const path of Object.keys(a)) assert.equal(b[path], a[path], path);
});

test("reordering SLOs and route contacts registers the same resources with the same inputs", async () => {
  for (const stack of ["prod", "local"]) {
    const a = await runProgramUnderMocks(catalog(false), stack);
    const b = await runProgramUnderMocks(catalog(true), stack);
    assert.deepEqual(b.resources, a.resources, stack);
  }
});
