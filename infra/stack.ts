/**
 * What every section of the stack (Grafana, Vercel, GitHub, local) reads and returns: the
 * validated catalog with the stack settings, and the stack outputs by name.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Catalog } from "../catalog/model";
import { renderArtifacts, type Artifacts, type RenderOptions } from "../artifacts";
import type { StackSettings } from "./config";

export interface StackContext {
  catalog: Catalog;
  /** Pulumi stack name: `prod`, `local` or any other (provisioned like `prod`). */
  stack: string;
  settings: StackSettings;
  /** Hand-written Prometheus rule files (`alerts/custom/*.yml`): file name → YAML text. */
  customRules: Record<string, string>;
  /** The rendered files of the catalog (same as `bin/ops-monitoring render`), for targets that ship files. */
  artifacts: (options?: Partial<RenderOptions>) => Artifacts;
}

/** Stack outputs by name (`grafana-url`, `grafana-deploy-token`, ...). */
export type StackOutputs = Record<string, pulumi.Output<unknown>>;

/** Builds a context for `catalog` on a stack; `artifacts` renders on demand with the custom rules. */
export function stackContext(
  catalog: Catalog,
  settings: StackSettings,
  customRules: Record<string, string> = {},
): StackContext {
  return {
    catalog,
    stack: settings.stack,
    settings,
    customRules,
    artifacts: (options = {}) => renderArtifacts(catalog, { customRules, ...options }),
  };
}
