/**
 * The error policy of the Pulumi path. Catalog and stack-config problems (`CatalogError`,
 * `StackConfigError`) are found before any resource is registered and reach `pulumi up` as a
 * `pulumi.RunError`; a component that finds a problem while registering (also inside an
 * `apply`) throws a `pulumi.ResourceError` with its stack hidden. The Node language host prints
 * exactly those two as their message alone (`@pulumi/pulumi/cmd/run/run.js`, the uncaught
 * error handler); every other error is printed as "an unhandled exception" with its stack.
 */
import * as pulumi from "@pulumi/pulumi";
import { CatalogError } from "../catalog/diagnostics";
import { StackConfigError } from "./config";

/** `e` as the program throws it to the Pulumi engine: configuration problems as a `RunError`. */
export function forPulumiEngine(e: unknown): unknown {
  return e instanceof CatalogError || e instanceof StackConfigError ? new pulumi.RunError(e.message) : e;
}

/** A problem found by `component` while registering its children, printed as its message under the component. */
export function componentError(message: string, component: pulumi.Resource): pulumi.ResourceError {
  return new pulumi.ResourceError(message, component, true);
}
