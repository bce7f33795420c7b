/**
 * The runbooks under docs/runbooks/ are part of the alert contract (every alert's
 * `runbook_url` points at one): these tests keep them complete and in step with the code.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";
import { parser } from "@prometheus-io/lezer-promql";
import { generateRuleGroups } from "../alerts/generate";
import { loadCatalogFile } from "../catalog/load";
import type { Catalog } from "../catalog/model";
import { promqlError } from "../catalog/promql";
import { validateCatalog } from "../catalog/validate";
import { buildDashboards } from "../dashboards";
import {
  DASHBOARDS,
  METRIC,
  REC,
  RUNBOOK,
  SLO_BUDGET_REMAINING_RECORD,
  SLO_OBJECTIVE_RECORD,
  SLO_WINDOWS,
  sloErrorRatioRecord,
} from "../conventions";

const ROOT = resolve(__dirname, "..");
const DOCS = join(ROOT, "docs");
const RUNBOOKS = join(DOCS, "runbooks");
const INDEX = join(RUNBOOKS, "README.md");

const SECTIONS = [
  "What this alert means",
  "First five minutes",
  "Diagnosis",
  "Mitigation",
  "Escalation",
  "After the incident",
];

/** A catalog exercising the alert families the shipped catalogs leave out (success-rate and p50/p99 latency thresholds). */
const EXTRA_CATALOG = {
  system: "runbook-check",
  services: [
    {
      name: "api",
      kind: "api",
      thresholds: { availability: { P1: "99%" }, latency_p50: { P2: "1s" }, latency_p99: { P1: "10s" } },
    },
  ],
};

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return markdownFiles(path);
    return e.name.endsWith(".md") ? [path] : [];
  });
}

const read = (path: string) => readFileSync(path, "utf8");
const rel = (path: string) => relative(ROOT, path);

/** Fenced code blocks (with their info string) and the prose outside them. */
function splitFences(text: string): { blocks: Array<{ lang: string; body: string }>; prose: string } {
  const blocks: Array<{ lang: string; body: string }> = [];
  const prose = text.replace(
    /^[ \t]*```([^\n]*)\n([\s\S]*?)^[ \t]*```[ \t]*$/gm,
    (_all, lang: string, body: string) => {
      blocks.push({ lang: lang.trim(), body });
      return "";
    },
  );
  return { blocks, prose };
}

/** Everything written as code: fenced blocks and inline code spans. */
function codeOf(text: string): string[] {
  const { blocks, prose } = splitFences(text);
  return [...blocks.map((b) => b.body), ...[...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1])];
}

/** The queries of ```promql blocks: one per paragraph, `#` comment lines dropped. */
function promqlQueries(text: string): string[] {
  return splitFences(text)
    .blocks.filter((b) => b.lang === "promql")
    .flatMap((b) => b.body.split(/\n\s*\n/))
    .map((q) =>
      q
        .split("\n")
        .filter((line) => !line.trim().startsWith("#"))
        .join("\n")
        .trim(),
    )
    .filter((q) => q !== "");
}

function h2Headings(text: string): string[] {
  return [...splitFences(text).prose.matchAll(/^## +(.+?)\s*$/gm)].map((m) => m[1]);
}

/** GitHub's heading anchors. */
function anchors(text: string): Set<string> {
  return new Set(
    [...splitFences(text).prose.matchAll(/^#{1,6} +(.+?)\s*$/gm)].map((m) =>
      m[1]
        .toLowerCase()
        .replace(/[`*]/g, "")
        .replace(/[^\p{L}\p{M}\p{N}_ -]/gu, "")
        .replace(/ /g, "-"),
    ),
  );
}

const HISTOGRAM_SUFFIXES = ["_bucket", "_count", "_sum"];

/** Every series name the code defines or documents as part of the instrumentation contract. */
function knownSeries(): Set<string> {
  const names = new Set<string>([
    ...Object.values(REC),
    ...SLO_WINDOWS.map(sloErrorRatioRecord),
    SLO_OBJECTIVE_RECORD,
    SLO_BUDGET_REMAINING_RECORD,
  ]);
  for (const m of Object.values(METRIC)) {
    names.add(m);
    if (m.endsWith("_seconds")) for (const s of HISTOGRAM_SUFFIXES) names.add(`${m}${s}`);
  }
  return names;
}

/** Names that look like ours: recording rules (`service:`, `slo:`, `api:`, `budget:`) and `ops_` metrics. */
const OURS = /(?<![\w:])(?:(?:service|slo|api|budget):[A-Za-z0-9_:]*[A-Za-z0-9_]|ops_[A-Za-z0-9_]+)/g;

/** Metric names a PromQL query selects. */
function selectedMetrics(query: string): string[] {
  const out: string[] = [];
  parser.parse(query).iterate({
    enter: (node) => {
      if (node.name === "Identifier" && node.node.parent?.name === "VectorSelector")
        out.push(query.slice(node.from, node.to));
    },
  });
  return out;
}

/** The production catalog and the second shipped example: between them every generated alert family. */
function shippedCatalogs(): Catalog[] {
  return ["Pulumi.prod.yaml", "examples/financial-platform.yaml"].map((f) => loadCatalogFile(join(ROOT, f)));
}

const docs = markdownFiles(DOCS);

test("has a runbook page for every alert family in conventions.ts", () => {
  const missing = Object.values(RUNBOOK).filter((file) => !existsSync(join(RUNBOOKS, file)));
  assert.deepEqual(missing, []);
});

test("gives every runbook page exactly the six required sections, in order", () => {
  for (const file of Object.values(RUNBOOK)) {
    assert.deepEqual(h2Headings(read(join(RUNBOOKS, file))), SECTIONS, `docs/runbooks/${file}`);
  }
});

test("links every runbook page from the index, and each page back to the incident template", () => {
  const index = read(INDEX);
  for (const file of Object.values(RUNBOOK)) {
    assert.match(index, new RegExp(`\\]\\(${file.replace(".", "\\.")}\\)`), `index links ${file}`);
    assert.match(
      read(join(RUNBOOKS, file)),
      /\]\(\.\.\/incident-template\.md\)/,
      `${file} links ../incident-template.md`,
    );
  }
});

test("resolves every relative link between docs, heading anchors included", () => {
  const broken: string[] = [];
  for (const file of docs) {
    const text = read(file);
    for (const m of splitFences(text).prose.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const [path, anchor] = target.split("#");
      const resolved = path === "" ? file : resolve(dirname(file), path);
      if (!existsSync(resolved)) {
        broken.push(`${rel(file)} → ${target} (no such file)`);
      } else if (anchor && resolved.endsWith(".md") && !anchors(read(resolved)).has(anchor)) {
        broken.push(`${rel(file)} → ${target} (no such heading)`);
      }
    }
  }
  assert.deepEqual(broken, []);
});

test("names only recording rules and ops_ metrics that conventions.ts defines", () => {
  const known = knownSeries();
  const unknown: string[] = [];
  for (const file of docs) {
    for (const code of codeOf(read(file))) {
      for (const m of code.matchAll(OURS)) if (!known.has(m[0])) unknown.push(`${rel(file)}: ${m[0]}`);
    }
  }
  assert.deepEqual(unknown, []);
});

test("writes every PromQL block so it parses and selects only contract metrics and recording rules", () => {
  const known = knownSeries();
  for (const c of shippedCatalogs()) for (const r of c.rules) for (const m of selectedMetrics(r.expr)) known.add(m);
  let queries = 0;
  for (const file of docs) {
    for (const q of promqlQueries(read(file))) {
      queries++;
      assert.equal(promqlError(q), undefined, `${rel(file)}: ${q}`);
      for (const m of selectedMetrics(q))
        assert.ok(
          known.has(m),
          `${rel(file)}: ${m} in ${q} is not a contract metric, recording rule or catalog rule metric`,
        );
    }
  }
  assert.ok(queries >= Object.keys(RUNBOOK).length, `only ${queries} PromQL queries in the docs`);
});

test("names, on each page and in the index, every alert that links to that page", () => {
  const catalogs = [...shippedCatalogs(), validateCatalog(EXTRA_CATALOG, "extra")];
  const index = read(INDEX);
  const customRules = new Set(catalogs.flatMap((c) => c.rules.map((r) => r.name)));
  for (const catalog of catalogs) {
    for (const group of generateRuleGroups(catalog)) {
      for (const rule of group.rules) {
        if (rule.kind !== "alert" || customRules.has(rule.alert)) continue;
        const page = RUNBOOK[rule.runbook];
        assert.ok(read(join(RUNBOOKS, page)).includes(`\`${rule.alert}\``), `${page} names \`${rule.alert}\``);
        assert.ok(index.includes(`\`${rule.alert}\``), `index names \`${rule.alert}\``);
        assert.ok(rule.annotations.runbook_url.endsWith(`/${page}`));
      }
    }
  }
});

test("refers only to dashboards and panels that exist, as **Dashboard › Panel**", () => {
  const built = buildDashboards(loadCatalogFile(join(ROOT, "Pulumi.prod.yaml")));
  const panels = new Map(
    built.map((d) => [
      DASHBOARDS[d.key] as string,
      new Set(((d.json.panels ?? []) as Array<{ title: string }>).map((p) => p.title)),
    ]),
  );
  let refs = 0;
  for (const file of docs) {
    const prose = splitFences(read(file)).prose;
    for (const m of prose.matchAll(/\*\*([^*\n]+?) › ([^*\n]+?)\*\*/g)) {
      refs++;
      const [, dashboard, panel] = m;
      assert.ok(panels.has(dashboard), `${rel(file)}: no dashboard titled "${dashboard}"`);
      assert.ok(panels.get(dashboard)!.has(panel), `${rel(file)}: dashboard "${dashboard}" has no panel "${panel}"`);
    }
    for (const m of prose.matchAll(/dashboard \*\*([^*›\n]+?)\*\*/g)) {
      refs++;
      assert.ok(panels.has(m[1]), `${rel(file)}: no dashboard titled "${m[1]}"`);
    }
  }
  assert.ok(refs > 0);
});

test("shows in the index the runbook_url the production catalog really produces", () => {
  const probe = generateRuleGroups(loadCatalogFile(join(ROOT, "Pulumi.prod.yaml")))
    .flatMap((g) => g.rules)
    .find((r) => r.kind === "alert" && r.alert === "ProbeDown");
  assert.ok(probe && probe.kind === "alert");
  assert.ok(read(INDEX).includes(probe.annotations.runbook_url), probe.annotations.runbook_url);
});
