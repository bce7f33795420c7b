/**
 * What the offline engine (`offline-engine.ts`) and its worker thread (`offline-engine-worker.ts`)
 * exchange: plain data only. Errors cross as their kind and fields and are rebuilt as the same
 * classes on the caller's side.
 */
import { CatalogError, type Diagnostic } from "../catalog/diagnostics";
import { StackConfigError } from "./config";
import { ProviderFactsError, type FactViolation } from "./provider-facts";

/** What a secret value is printed as. */
export const SECRET_MARK = "[secret]";
/** Prefix of the placeholder values given to secret config; never appears in any output. */
export const PLACEHOLDER_SECRET_PREFIX = "placeholder-secret-value:";

export interface RegisteredResource {
  type: string;
  name: string;
  /** Inputs as the engine received them, keys sorted; secret values are `"[secret]"`. */
  inputs: Record<string, unknown>;
  /** Top-level input names whose value is secret (the engine tracks secrecy per top-level property). */
  secretInputs: string[];
}

export interface MockRun {
  /** Sorted by type, then name. */
  resources: RegisteredResource[];
  /** Stack outputs; secret ones are `"[secret]"`. */
  outputs: Record<string, unknown>;
  /** Names of the secret stack outputs. */
  secretOutputs: string[];
}

/** A config value: plain text, a secret, or `null` to leave the key unset. */
export type ConfigValue = string | { secret: string } | null;

export interface EngineRequest {
  stack: string;
  config: Record<string, ConfigValue>;
  customRules: Record<string, string>;
  probes: Record<string, number>;
  /** Module paths exporting `transformation`, registered as stack transformations before the program runs. */
  stackTransformations: string[];
}

export type SerializedError =
  | { kind: "catalog"; diagnostics: Diagnostic[]; source: string }
  | { kind: "stack-config"; problems: string[]; stack: string }
  | { kind: "provider-facts"; violations: FactViolation[] }
  | { kind: "other"; name: string; message: string };

export type EngineReply =
  { ok: true; run: MockRun } | { ok: false; error: SerializedError; resources: RegisteredResource[] };

export function serializeError(e: unknown): SerializedError {
  if (e instanceof CatalogError) return { kind: "catalog", diagnostics: e.diagnostics, source: e.source };
  if (e instanceof StackConfigError) return { kind: "stack-config", problems: e.problems, stack: e.stackName };
  if (e instanceof ProviderFactsError) return { kind: "provider-facts", violations: e.violations };
  return e instanceof Error
    ? { kind: "other", name: e.name, message: e.message }
    : { kind: "other", name: "Error", message: String(e) };
}

export function deserializeError(e: SerializedError): Error {
  switch (e.kind) {
    case "catalog":
      return new CatalogError(e.diagnostics, e.source);
    case "stack-config":
      return new StackConfigError(e.problems, e.stack);
    case "provider-facts":
      return new ProviderFactsError(e.violations);
    case "other": {
      const error = new Error(e.message);
      error.name = e.name;
      return error;
    }
  }
}
