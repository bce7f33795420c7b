/** Validation problems, each naming where in the catalog it is, reported together. */

export interface Diagnostic {
  /** Where, e.g. `services[checkout].slos[latency].threshold`. */
  path: string;
  message: string;
}

export class CatalogError extends Error {
  constructor(
    readonly diagnostics: Diagnostic[],
    readonly source = "catalog",
  ) {
    super(formatDiagnostics(diagnostics, source));
    this.name = "CatalogError";
  }
}

export function formatDiagnostics(diagnostics: Diagnostic[], source: string): string {
  const n = diagnostics.length;
  const lines = diagnostics.map((d) => `  ${d.path ? `${d.path}: ` : ""}${d.message}`);
  return [`${source}: ${n} problem${n === 1 ? "" : "s"}`, ...lines].join("\n");
}

/**
 * Renders a path into the raw catalog readably: array items that have a `name` are shown
 * by name (`services[web]`), others by index.
 */
export function formatPath(path: ReadonlyArray<PropertyKey>, root: unknown): string {
  let out = "";
  let node: unknown = root;
  for (const key of path) {
    if (typeof key === "number") {
      const item: unknown = Array.isArray(node) ? node[key] : undefined;
      const name =
        item && typeof item === "object" && typeof (item as { name?: unknown }).name === "string"
          ? (item as { name: string }).name
          : undefined;
      out += `[${name === undefined ? key : /^[A-Za-z0-9_.:-]+$/.test(name) ? name : JSON.stringify(name)}]`;
      node = item;
    } else {
      const k = String(key);
      const plain = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k);
      out += plain ? (out === "" ? k : `.${k}`) : `[${JSON.stringify(k)}]`;
      node = node && typeof node === "object" ? (node as Record<string, unknown>)[k] : undefined;
    }
  }
  return out;
}

/** Warnings as printed by the commands: one `warning: <source>: <path>: <message>` line each. */
export function formatWarnings(warnings: Diagnostic[], source: string): string[] {
  return warnings.map((w) => `warning: ${source}: ${w.path ? `${w.path}: ` : ""}${w.message}`);
}
