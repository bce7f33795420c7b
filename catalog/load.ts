/** Reading a catalog from a YAML file: a bare catalog, or a Pulumi stack file holding `ops-monitoring:catalog`. */
import { readFileSync } from "node:fs";
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from "yaml";
import { CatalogError, type Diagnostic } from "./diagnostics";
import { checkCatalog } from "./validate";
import type { Catalog } from "./model";

export const CATALOG_CONFIG_KEY = "ops-monitoring:catalog";

/** The raw catalog object in a YAML text; throws CatalogError on YAML syntax errors. */
export function parseCatalogYaml(text: string, source: string): unknown {
  return parseCatalogFile(text, source).catalog;
}

/**
 * A catalog file, or a Pulumi stack file (`config:` holding `ops-monitoring:catalog`): its catalog,
 * and for a stack file its whole `config` map (parsed once).
 */
export function parseCatalogFile(text: string, source: string): { catalog: unknown; config?: Record<string, unknown> } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, lineCounter: lines, merge: true });
  if (doc.errors.length > 0) {
    throw new CatalogError(
      doc.errors.map((e) => ({
        path: `line ${e.linePos?.[0].line ?? "?"}`,
        message: e.message.split("\n")[0].replace(/:$/, ""),
      })),
      source,
    );
  }
  const value = toJS(doc, lines, source);
  if (value && typeof value === "object" && "config" in value) {
    const config = (value as { config?: Record<string, unknown> }).config ?? {};
    if (!(CATALOG_CONFIG_KEY in config))
      throw new CatalogError([{ path: "config", message: `has no ${CATALOG_CONFIG_KEY} key` }], source);
    return { catalog: withStackGrafanaUrl(config[CATALOG_CONFIG_KEY], config[GRAFANA_URL_CONFIG_KEY], source), config };
  }
  return { catalog: value };
}

/** The stack config key of the Grafana URL: the Grafana provider's own, the one place a stack writes it. */
export const GRAFANA_URL_CONFIG_KEY = "grafana:url";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The catalog of a stack whose `grafana:url` is `stackUrl`: its `grafana.url` (alert links) is
 * that URL, so the URL is written once. A catalog that writes `grafana.url` as well is refused.
 */
export function withStackGrafanaUrl(raw: unknown, stackUrl: unknown, source?: string): unknown {
  if (stackUrl === undefined || stackUrl === null || stackUrl === "" || !isObject(raw)) return raw;
  const grafana = raw.grafana;
  if (isObject(grafana) && grafana.url !== undefined)
    throw new CatalogError(
      [
        {
          path: "grafana.url",
          message: `the Grafana URL is written twice, here and as ${GRAFANA_URL_CONFIG_KEY}: remove grafana.url from the catalog, it is taken from ${GRAFANA_URL_CONFIG_KEY}`,
        },
      ],
      source,
    );
  const url = typeof stackUrl === "string" ? stackUrl.replace(/\/+$/, "") : stackUrl;
  return { ...raw, grafana: { ...(isObject(grafana) ? grafana : {}), url } };
}

/** `raw` without `grafana.url`: the catalog as a stack file holds it, the URL being `grafana:url`. */
export function withoutGrafanaUrl(raw: unknown): unknown {
  if (!isObject(raw) || !isObject(raw.grafana) || raw.grafana.url === undefined) return raw;
  const { url: _url, ...grafana } = raw.grafana;
  return { ...raw, grafana };
}

/** The document's value; aliases to no anchor and alias bombs become catalog errors naming the line. */
function toJS(doc: Document, lines: LineCounter, source: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: 1000 }) as unknown;
  } catch (e) {
    if (e instanceof Error && /^Merge sources/.test(e.message))
      throw new CatalogError([mergeProblem(doc, lines)], source);
    if (!(e instanceof ReferenceError)) throw e;
    if (/Excessive alias count/.test(e.message))
      throw new CatalogError(
        [
          {
            path: "",
            message:
              "YAML aliases expand to too many nodes (an alias bomb?); write the values out or use fewer aliases",
          },
        ],
        source,
      );
    const anchors = new Set<string>();
    let problem = { path: "", message: `YAML alias error: ${e.message}` };
    visit(doc, (_key, node) => {
      if (isAlias(node)) {
        if (anchors.has(node.source)) return undefined;
        problem = {
          path: `line ${node.range ? lines.linePos(node.range[0]).line : "?"}`,
          message: `alias *${node.source} refers to no anchor &${node.source} defined before it`,
        };
        return visit.BREAK;
      }
      const anchor = (node as { anchor?: string }).anchor;
      if (anchor) anchors.add(anchor);
      return undefined;
    });
    throw new CatalogError([problem], source);
  }
}

/** Where a YAML merge key (`<<`) merges something other than a mapping. */
function mergeProblem(doc: Document, lines: LineCounter): Diagnostic {
  let problem: Diagnostic = { path: "", message: "a YAML merge key (<<) must merge a mapping or a list of mappings" };
  visit(doc, {
    Pair(_key, pair) {
      if (!isScalar(pair.key) || pair.key.source !== "<<") return undefined;
      const value: unknown = isAlias(pair.value) ? pair.value.resolve(doc) : pair.value;
      const sources: unknown[] = isSeq(value) ? value.items.map((v) => (isAlias(v) ? v.resolve(doc) : v)) : [value];
      if (sources.every((v) => isMap(v))) return undefined;
      problem = {
        path: `line ${pair.key.range ? lines.linePos(pair.key.range[0]).line : "?"}`,
        message: problem.message,
      };
      return visit.BREAK;
    },
  });
  return problem;
}

/** The validated catalog in a file and its warnings; throws `CatalogError` listing every problem. */
export function loadCatalog(path: string): { catalog: Catalog; warnings: Diagnostic[] } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new CatalogError([{ path: "", message: `cannot read file: ${(e as Error).message}` }], path);
  }
  return checkCatalog(parseCatalogYaml(text, path), path);
}

export function loadCatalogFile(path: string): Catalog {
  return loadCatalog(path).catalog;
}
