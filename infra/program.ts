/**
 * The Pulumi program as a function of the catalog: `index.ts` calls it for a real run, the
 * mock runner (`infra/offline-engine.ts`) for `plan`, tests and the bench. Each section of a stack is
 * one provisioning call below; sections only read the context and earlier sections' outputs.
 */
import { provisionGrafana } from "./grafana";
import { provisionGitHub } from "./github/actions-config";
import { provisionLocal } from "./local";
import { provisionVercel } from "./vercel/environment";
import type { StackContext, StackOutputs } from "./stack";

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
