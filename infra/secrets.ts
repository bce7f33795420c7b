/**
 * Catalog secret references → Pulumi secret outputs, read from stack config
 * (`pulumi config set --secret NAME`). The config is read once per program run: each read
 * of Pulumi config parses all of it, catalog included.
 */
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import type { SecretRef } from "../catalog/model";
import { catalogSecretKey, StackConfigError } from "./config";

let config: Record<string, string> | undefined;
let cache = new Map<string, pulumi.Output<string>>();

/** Forgets what an earlier run of the program in this process read. */
export function startRun(): void {
  config = undefined;
  cache = new Map();
}

/** The value of a catalog `{ secret: NAME }` (or a bare NAME), always a Pulumi secret. */
export function secretRef(ref: SecretRef | string): pulumi.Output<string> {
  const name = typeof ref === "string" ? ref : ref.secret;
  let value = cache.get(name);
  if (!value) {
    config ??= runtimeConfig.allConfig();
    const key = catalogSecretKey(name);
    if (config[key] === undefined)
      throw new StackConfigError([`${key} is not set: pulumi config set --secret ${name} <value>`], pulumi.getStack());
    value = pulumi.secret(config[key]);
    cache.set(name, value);
  }
  return value;
}
