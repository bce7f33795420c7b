/** Catalog secret references → Pulumi secret outputs, read from stack config (`pulumi config set --secret NAME`). */
import * as pulumi from "@pulumi/pulumi";
import type { SecretRef } from "../catalog/model";
import { PROJECT } from "./config";

/** The value of a catalog `{ secret: NAME }` (or a bare NAME), always a Pulumi secret. */
export function secretRef(ref: SecretRef | string): pulumi.Output<string> {
  const name = typeof ref === "string" ? ref : ref.secret;
  return pulumi.secret(new pulumi.Config(PROJECT).requireSecret(name));
}
