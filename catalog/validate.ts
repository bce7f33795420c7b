/**
 * Validation: the schema check and the cross-checks both run on every catalog and all
 * their problems are reported at once; only a catalog with none is normalized.
 */
import type { z } from "zod";
import { catalogSchema, type RawCatalog } from "./schema";
import { CatalogError, formatPath, type Diagnostic } from "./diagnostics";
import { crossCheck } from "./cross-check";
import { parityCheck } from "./parity-checks";
import { nameCollisions } from "./name-collisions";
import { httpUrlError } from "./urls";
import { normalize } from "./normalize";
import { linkWarnings } from "./link-warnings";
import { vercelEnvDiagnostics } from "../env/vercel-diagnostics";
import { githubActionsDiagnostics } from "../env/github-diagnostics";
import type { Catalog } from "./model";

/**
 * Validates a raw catalog: the schema, the cross-checks and the env/ diagnostics (Vercel, GitHub)
 * run in one pass; every problem is reported at once as a `CatalogError`. Returns the normalized
 * catalog and the warnings (allowed, but probably not what the user wants).
 */
export function checkCatalog(raw: unknown, source = "catalog"): { catalog: Catalog; warnings: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const parsed = catalogSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) diagnostics.push(...fromIssue(issue, raw));
  }
  const vercel = vercelEnvDiagnostics(raw);
  diagnostics.push(
    ...crossCheck(raw),
    ...parityCheck(raw),
    ...nameCollisions(raw),
    ...vercel.problems,
    ...githubActionsDiagnostics(raw),
  );
  if (diagnostics.length > 0) throw new CatalogError(sortByPath(dedupe(diagnostics)), source);
  const catalog = normalize(parsed.data as RawCatalog);
  return { catalog, warnings: sortByPath([...vercel.warnings, ...linkWarnings(catalog)]) };
}

export function validateCatalog(raw: unknown, source = "catalog"): Catalog {
  return checkCatalog(raw, source).catalog;
}

function sortByPath(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function fromIssue(issue: z.core.$ZodIssue, root: unknown): Diagnostic[] {
  const path = formatPath(issue.path, root);
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => ({ path: formatPath([...issue.path, key], root), message: "unknown field" }));
    case "invalid_value":
      return [{ path, message: `${JSON.stringify(input)} is not one of ${issue.values.map(String).join(" | ")}` }];
    case "invalid_type":
      if (issue.path.length === 0)
        return [{ path, message: `the catalog must be a mapping with system, services, ... (got ${describe(input)})` }];
      if (input === undefined) return [{ path, message: "is required" }];
      if (isSecretRef(input))
        return [{ path, message: "a {secret: ...} reference is not allowed here; this field needs a plain value" }];
      if (issue.expected === "object" && looksLikeSecretSlot(issue.path))
        return [
          {
            path,
            message:
              "must be a secret reference like { secret: NAME }: a plain value here would end up in state and rendered files",
          },
        ];
      if (typeof input === "number" && !Number.isFinite(input))
        return [{ path, message: `expected a finite number, got ${yamlNumber(input)}` }];
      return [{ path, message: `expected ${issue.expected}, got ${describe(input)}` }];
    case "invalid_format":
      if (issue.format === "regex") return [{ path, message: `${JSON.stringify(input)} ${issue.message}` }];
      return [
        { path, message: `${JSON.stringify(input)} is not a valid ${issue.format === "url" ? "URL" : issue.format}` },
      ];
    case "too_small":
    case "too_big": {
      const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
      if (issue.origin === "string" && issue.code === "too_big") return [{ path, message: issue.message }];
      if (issue.origin === "array")
        return [
          { path, message: `needs ${issue.code === "too_small" ? "at least" : "at most"} ${String(bound)} item(s)` },
        ];
      const op = issue.code === "too_small" ? (issue.inclusive ? ">=" : ">") : issue.inclusive ? "<=" : "<";
      return [
        {
          path,
          message: `${typeof input === "number" && !Number.isFinite(input) ? yamlNumber(input) : JSON.stringify(input)} must be ${op} ${String(bound)}`,
        },
      ];
    }
    case "invalid_key":
      return [{ path, message: `${JSON.stringify(input)} ${issue.issues[0]?.message ?? "is not a valid key here"}` }];
    case "invalid_union":
      if (String(issue.path[issue.path.length - 1]) === "type" && isObj(input))
        return [{ path, message: `${JSON.stringify(input.type)} is not one of pagerduty | slack | email | webhook` }];
      if (typeof input === "string" && String(issue.path[issue.path.length - 1]) === "url" && httpUrlError(input))
        return [{ path, message: `${httpUrlError(input)!}; or a secret reference { secret: NAME }` }];
      if (typeof input === "number" && !Number.isFinite(input))
        return [{ path, message: `expected a finite number, got ${yamlNumber(input)}` }];
      if (isSecretRef(input) && issue.errors.length === 0)
        return [{ path, message: "a {secret: ...} reference is not allowed here" }];
      if (issue.errors.length === 0) return [{ path, message: `${JSON.stringify(input)} is not valid here` }];
      {
        // "one X or a list of X": report the problems of the branch whose shape the input has.
        const sameShape = issue.errors.filter(
          (branch) => !branch.some((i) => i.code === "invalid_type" && i.path.length === 0),
        );
        if (sameShape.length === 1)
          return sameShape[0].flatMap((inner) => fromIssue({ ...inner, path: [...issue.path, ...inner.path] }, root));
      }
      return [{ path, message: unionMessage(issue.path) }];
    default:
      return [{ path, message: issue.message }];
  }
}

const SECRET_SLOTS = new Set(["integration_key", "url", "password", "bearer", "otlp_headers"]);
function looksLikeSecretSlot(path: ReadonlyArray<PropertyKey>): boolean {
  return SECRET_SLOTS.has(String(path[path.length - 1]));
}

function unionMessage(path: ReadonlyArray<PropertyKey>): string {
  const last = String(path[path.length - 1]);
  if (last === "heartbeat") return "must be a duration like 1h or { every: 1h, severity: P2 }";
  if (last === "url") return "must be a URL or a secret reference { secret: NAME }";
  if (path.includes("contacts")) return "contact type must be one of pagerduty | slack | email | webhook";
  return "has an unexpected shape";
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isSecretRef(v: unknown): boolean {
  return isObj(v) && "secret" in v;
}

/** `.inf`, `-.inf`, `.nan` as YAML spells them. */
function yamlNumber(n: number): string {
  return Number.isNaN(n) ? ".nan" : n > 0 ? ".inf" : "-.inf";
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  if (typeof v === "number" && !Number.isFinite(v)) return yamlNumber(v);
  return `${typeof v} ${JSON.stringify(v)}`;
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.path}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
