import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PANEL } from "../../conventions";
import { buildDashboards, dashboardLink, slugify } from "../../dashboards";
import { generatedCatalog, panelsOf, prod } from "./fixtures";

describe("dashboard links", () => {
  it("links an alert to its panel, scoped to its service", () => {
    const link = dashboardLink(prod, "service", PANEL.errorRate, "web");
    const panel = panelsOf(buildDashboards(prod).find((d) => d.key === "service")!.json).find(
      (p) => p.title === PANEL.errorRate,
    )!;
    assert.equal(link.uid, "prospectpro-service");
    assert.equal(link.panelId, panel.id);
    assert.equal(
      link.url,
      `https://prospectpro.grafana.net/d/prospectpro-service/prospectpro-service-red?var-service=web&viewPanel=${panel.id}`,
    );
  });

  it("leaves out the service variable when no service is given", () => {
    const link = dashboardLink(prod, "external-apis", PANEL.spend);
    assert.equal(
      link.url,
      `https://prospectpro.grafana.net/d/prospectpro-external-apis/prospectpro-external-apis-and-cost?viewPanel=${link.panelId}`,
    );
  });

  it("gives a path relative to Grafana when the catalog has no Grafana URL", () => {
    const link = dashboardLink(generatedCatalog(3), "synthetics", PANEL.probeSuccess, "svc-1");
    assert.equal(link.url, `/d/bench-synthetics/bench-synthetics?var-service=svc-1&viewPanel=${link.panelId}`);
  });

  it("resolves every panel title alerts link to", () => {
    const homes: Array<[string, Parameters<typeof dashboardLink>[1]]> = [
      [PANEL.requestRate, "service"],
      [PANEL.errorRate, "service"],
      [PANEL.latency, "service"],
      [PANEL.probeSuccess, "synthetics"],
      [PANEL.probeDuration, "synthetics"],
      [PANEL.tlsDaysLeft, "synthetics"],
      [PANEL.sloBudget, "slos"],
      [PANEL.sloBurn, "slos"],
      [PANEL.dbConnections, "database"],
      [PANEL.dbLatency, "database"],
      [PANEL.dbCacheHit, "database"],
      [PANEL.dbReplicationLag, "database"],
      [PANEL.dbUp, "database"],
      [PANEL.customRules, "service"],
      [PANEL.quotaUsed, "external-apis"],
      [PANEL.apiFailureRate, "external-apis"],
      [PANEL.spend, "external-apis"],
      [PANEL.rateLimitUsed, "external-apis"],
      [PANEL.sizeUsed, "external-apis"],
      [PANEL.jobAge, "jobs"],
    ];
    assert.equal(homes.length, Object.keys(PANEL).length);
    for (const [title, key] of homes) {
      const link = dashboardLink(prod, key, title, "db");
      assert.ok(Number.isInteger(link.panelId) && link.panelId > 0, title);
      assert.match(link.url, new RegExp(`/d/${link.uid}/[a-z0-9-]+\\?var-service=db&viewPanel=${link.panelId}$`));
    }
  });

  it("throws naming the dashboard and title when the panel does not exist", () => {
    assert.throws(() => dashboardLink(prod, "service", PANEL.spend), {
      message: 'dashboard service has no panel titled "Month-to-date spend vs budget"',
    });
  });

  it("keeps panel ids when the catalog grows", () => {
    for (const title of [PANEL.errorRate, PANEL.sloBurn]) {
      const key = title === PANEL.errorRate ? "service" : "slos";
      assert.equal(
        dashboardLink(generatedCatalog(1000, "big"), key, title).panelId,
        dashboardLink(prod, key, title).panelId,
      );
    }
  });

  it("encodes service names into the URL", () => {
    assert.match(dashboardLink(prod, "service", PANEL.requestRate, "a b&c").url, /var-service=a%20b%26c&/);
  });

  it("slugs titles the way Grafana does", () => {
    assert.equal(slugify("prospectpro / External APIs & cost"), "prospectpro-external-apis-and-cost");
    assert.equal(slugify("prospectpro / Service (RED)"), "prospectpro-service-red");
  });
});
