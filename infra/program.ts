/**
 * The Pulumi program as a function of the catalog: `index.ts` calls it for a real run, the
 * mock runner (`infra/offline-engine.ts`) for `plan`, tests and the bench. Each section of a stack is
 * one provisioning call below; sections only read the context and earlier sections' outputs.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Catalog } from "../catalog/model";
import { renderArtifacts, type Artifacts, type RenderOptions } from "../artifacts";
import type { StackSettings } from "./config";
import { provisionGrafana } from "./grafana";
import { provisionGitHub } from "./github/actions-config";
import { provisionLocal } from "./local";
import { provisionVercel } from "./vercel/environment";

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
export function stackContext(catalog: Catalog, settings: StackSettings, customRules: Record<string, string> = {}): StackContext {
  return {
    catalog,
    stack: settings.stack,
    settings,
    customRules,
    artifacts: (options = {}) => renderArtifacts(catalog, { customRules, ...options }),
  };
}

/** Registers every resource of the stack; returns the stack outputs. */
export function defineStack(ctx: StackContext): StackOutputs {
  return ctx.settings.target === "local" ? defineLocal(ctx) : defineProd(ctx);
}

function defineProd(ctx: StackContext): StackOutputs {
  const outputs: StackOutputs = {};
  Object.assign(outputs, provisionGrafana(ctx));
  provisionVercel(ctx);
  provisionGitHub(ctx, outputs);
  return outputs;
}

function defineLocal(ctx: StackContext): StackOutputs {
  const outputs: StackOutputs = {};
  Object.assign(outputs, provisionLocal(ctx));
  return outputs;
}
