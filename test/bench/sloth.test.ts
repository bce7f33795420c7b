/**
 * The benchmark's Sloth rules (bench/sloth.ts) are Sloth's: for Sloth's getting-started spec they
 * are exactly Sloth's own generated file, `examples/_gen/getting-started.yml` at the commit recorded in
 * test/fixtures/community/SOURCE.md.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { sloCatalog, slothSlos } from "../../bench/rule-cost";
import { slothRuleGroups } from "../../bench/sloth";
import { validateCatalog } from "../../catalog/validate";
import { ROOT } from "../helpers/catalogs";

const PUBLISHED = join(ROOT, "test/fixtures/community/alerts/custom/community/sloth/getting-started.yml");

test("the Sloth rules of Sloth's getting-started SLO are the rule groups of Sloth's own generated file", () => {
  // examples/getting-started.yml, generated with `cmd: examplesgen.sh` as an extra label.
  const groups = slothRuleGroups(
    {
      service: "myservice",
      name: "requests-availability",
      objective: 99.9,
      errorQuery: 'sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[{{.window}}]))',
      totalQuery: 'sum(rate(http_request_duration_seconds_count{job="myservice"}[{{.window}}]))',
      labels: { owner: "myteam", repo: "myorg/myservice", tier: "2" },
      alert: {
        name: "MyServiceHighErrorRate",
        labels: { category: "availability" },
        annotations: { summary: "High error rate on 'myservice' requests responses" },
        page: { labels: { severity: "pageteam", routing_key: "myteam" } },
        ticket: { labels: { severity: "slack", slack_channel: "#alerts-myteam" } },
      },
    },
    { cmd: "examplesgen.sh" },
  );
  const published = parse(readFileSync(PUBLISHED, "utf8")) as { groups: unknown[] };
  assert.deepEqual(JSON.parse(JSON.stringify(groups)), published.groups);
});

test("the rule-cost benchmark compares 60 SLOs, and Sloth's read the same job's series as ours", () => {
  const catalog = validateCatalog(sloCatalog());
  const ours = catalog.services.flatMap((s) => s.slos.map((slo) => `${s.name}/${slo.name}/${slo.sli}`));
  const sloth = slothSlos(catalog);
  assert.equal(ours.length, 60);
  assert.deepEqual(
    sloth.map((s) => `${s.service}/${s.name}`),
    ours.map((o) => o.split("/").slice(0, 2).join("/")),
  );
  const web = sloth.find((s) => s.service === "frontend-0" && s.name === "latency")!;
  assert.equal(web.objective, 95);
  assert.equal(web.totalQuery, 'sum(rate(http_server_request_duration_seconds_count{job="frontend-0"}[{{.window}}]))');
  assert.equal(
    web.errorQuery,
    'sum(rate(http_server_request_duration_seconds_count{job="frontend-0"}[{{.window}}])) - sum(rate(http_server_request_duration_seconds_bucket{job="frontend-0",le="0.5"}[{{.window}}]))',
  );
  const api = sloth.find((s) => s.service === "api-1")!;
  assert.equal(api.objective, 99.5);
  assert.equal(
    api.errorQuery,
    'sum(rate(http_server_request_duration_seconds_count{job="api-1",http_response_status_code=~"5.."}[{{.window}}]))',
  );
});
