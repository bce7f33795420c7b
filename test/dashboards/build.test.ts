import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DASHBOARDS, dashboardUid, PANEL, type DashboardKey } from "../../conventions";
import { buildDashboards, renderDashboardFiles } from "../../dashboards";
import { generatedCatalog, panelsOf, prod } from "./fixtures";

const docs = buildDashboards(prod);

/** Where each panel alerts link to lives. */
const PANEL_HOME: Record<keyof typeof PANEL, DashboardKey> = {
  requestRate: "service",
  errorRate: "service",
  latency: "service",
  probeSuccess: "synthetics",
  probeDuration: "synthetics",
  tlsDaysLeft: "synthetics",
  sloBudget: "slos",
  sloBurn: "slos",
  dbConnections: "database",
  dbLatency: "database",
  dbCacheHit: "database",
  dbReplicationLag: "database",
  dbUp: "database",
  customRules: "service",
  quotaUsed: "external-apis",
  rateLimitUsed: "external-apis",
  sizeUsed: "external-apis",
  apiFailureRate: "external-apis",
  spend: "external-apis",
  jobAge: "jobs",
};

describe("dashboards", () => {
  it("builds the seven dashboards with uids derived from the system", () => {
    assert.deepEqual(
      docs.map((d) => d.key),
      Object.keys(DASHBOARDS),
    );
    for (const doc of docs) {
      assert.equal(doc.uid, dashboardUid("prospectpro", doc.key));
      assert.equal(doc.json.uid, doc.uid);
      assert.equal(doc.json.title, doc.title);
      assert.ok(doc.title.includes(DASHBOARDS[doc.key]), doc.title);
      assert.ok((doc.json.tags as string[]).includes("prospectpro"));
    }
    assert.equal(docs.find((d) => d.key === "external-apis")?.uid, "prospectpro-external-apis");
  });

  it("leaves out the fields Grafana owns (id, version, iteration)", () => {
    for (const doc of docs) {
      for (const field of ["id", "version", "iteration"]) assert.ok(!(field in doc.json), `${doc.key} has ${field}`);
    }
  });

  it("has the structure Grafana expects of a dashboard model", () => {
    for (const doc of docs) {
      const json = doc.json;
      assert.equal(typeof json.title, "string");
      assert.ok(typeof json.uid === "string" && json.uid.length <= 40);
      assert.equal(typeof json.schemaVersion, "number");
      assert.ok(Array.isArray(json.panels) && json.panels.length > 0, doc.key);
      const templating = json.templating as { list: Array<{ name: string; type: string }> };
      assert.ok(Array.isArray(templating.list));
      assert.deepEqual(templating.list[0], {
        ...templating.list[0],
        name: "datasource",
        type: "datasource",
        query: "prometheus",
      });
      assert.ok(Array.isArray((json.annotations as { list: unknown[] }).list));
    }
  });

  it("gives each panel a Prometheus datasource, targets with distinct refIds and a grid position", () => {
    for (const doc of docs) {
      for (const panel of panelsOf(doc.json)) {
        const where = `${doc.key}/${panel.title}`;
        assert.deepEqual(panel.datasource, { type: "prometheus", uid: "${datasource}" }, where);
        assert.ok(panel.targets && panel.targets.length > 0, where);
        const refIds = panel.targets.map((t) => t.refId);
        assert.ok(
          refIds.every((r) => typeof r === "string" && r !== ""),
          where,
        );
        assert.equal(new Set(refIds).size, refIds.length, where);
        for (const target of panel.targets) assert.deepEqual(target.datasource, panel.datasource, where);
        const g = panel.gridPos;
        assert.ok(g && g.w > 0 && g.h > 0 && g.x >= 0 && g.y >= 0 && g.x + g.w <= 24, where);
      }
    }
  });

  it("lays panels out without overlaps and numbers them uniquely per dashboard", () => {
    for (const doc of docs) {
      const panels = panelsOf(doc.json);
      const ids = panels.map((p) => p.id);
      assert.ok(
        ids.every((id) => Number.isInteger(id) && id > 0),
        doc.key,
      );
      assert.equal(new Set(ids).size, ids.length, doc.key);
      const cells = new Set<string>();
      for (const p of panels) {
        const g = p.gridPos!;
        for (let x = g.x; x < g.x + g.w; x++) {
          for (let y = g.y; y < g.y + g.h; y++) {
            assert.ok(!cells.has(`${x},${y}`), `${doc.key}/${p.title} overlaps at ${x},${y}`);
            cells.add(`${x},${y}`);
          }
        }
      }
    }
  });

  it("shows every panel alerts link to exactly once, on the dashboard where it belongs", () => {
    for (const [name, title] of Object.entries(PANEL) as Array<[keyof typeof PANEL, string]>) {
      const homes = docs.filter((d) => panelsOf(d.json).some((p) => p.title === title)).map((d) => d.key);
      assert.deepEqual(homes, [PANEL_HOME[name]], `${name} ("${title}")`);
      const home = docs.find((d) => d.key === PANEL_HOME[name])!;
      assert.equal(panelsOf(home.json).filter((p) => p.title === title).length, 1, title);
    }
  });

  it("has one Service (RED) dashboard templated by a single-valued service variable", () => {
    const service = docs.find((d) => d.key === "service")!;
    const variable = (service.json.templating as { list: Array<Record<string, unknown>> }).list.find(
      (v) => v.name === "service",
    );
    assert.equal(variable?.type, "query");
    assert.equal(variable?.multi, false);
    assert.match(String(variable?.query), /^label_values\(service:requests:rate5m, service\)$/);
  });

  it("marks deploys from the Grafana annotation tag and from the deployments counter", () => {
    for (const doc of docs) {
      const list = (doc.json.annotations as { list: Array<Record<string, unknown>> }).list;
      assert.ok(
        list.some((a) => JSON.stringify(a.target ?? {}).includes('"deploy"')),
        doc.key,
      );
      assert.ok(
        list.some((a) => typeof a.expr === "string" && a.expr.includes("changes(ops_deployments_total")),
        doc.key,
      );
    }
  });

  it("renders the same catalog byte-identically, as 2-space JSON with a trailing newline", () => {
    const first = renderDashboardFiles(prod);
    const second = renderDashboardFiles(prod);
    assert.deepEqual(
      Object.keys(first),
      Object.keys(DASHBOARDS)
        .map((k) => `dashboards/${k}.json`)
        .sort(),
    );
    for (const [path, text] of Object.entries(first)) {
      assert.equal(text, second[path], path);
      assert.ok(text.endsWith("}\n"), path);
      assert.equal(text, `${JSON.stringify(JSON.parse(text), null, 2)}\n`, path);
    }
  });

  it("renders a 1000-service catalog exactly like a 3-service one (dashboards are O(1) in services)", () => {
    const small = renderDashboardFiles(generatedCatalog(3));
    const large = renderDashboardFiles(generatedCatalog(1000));
    for (const path of Object.keys(small)) {
      assert.equal(large[path].length, small[path].length, path);
      assert.equal(large[path], small[path], path);
    }
  });

  it("differs between systems only in uids, titles and tags", () => {
    const a = renderDashboardFiles(generatedCatalog(3, "alpha"));
    const b = renderDashboardFiles(generatedCatalog(3, "bravo"));
    for (const path of Object.keys(a))
      assert.equal(a[path].replaceAll("alpha", "X"), b[path].replaceAll("bravo", "X"), path);
  });
});
