import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { runPulumiProgram } from "../../infra/run";
import { SyntheticChecks } from "../../infra/grafana/synthetics";
import type { CheckSpec } from "../../infra/grafana/checks";
import { GOOD, ROOT } from "../helpers/catalogs";

/**
 * What `pulumi up` prints for an error the program throws, as the Node language host decides it
 * (`@pulumi/pulumi/cmd/run/run.js`, the uncaught error handler): a RunError as its message, a
 * ResourceError as its message when it hides its stack, anything else as an unhandled exception
 * with its stack.
 */
function printedByPulumi(err: unknown): string {
  if (pulumi.RunError.isInstance(err)) return err.message;
  if (pulumi.ResourceError.isInstance(err)) return err.hideStack ? err.message : inspect(err);
  return `Running program failed with an unhandled exception:\n${inspect(err)}`;
}

const STACK_FRAME = /^\s+at /m;

async function mocks(probes: Record<string, number> = {}): Promise<void> {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: args.name, state: args.inputs as Record<string, unknown> }),
      call: () => ({ probes }),
    },
    "ops-monitoring",
    "prod",
    false,
  );
}

function programError(catalogFile: string): unknown {
  pulumi.runtime.setAllConfig({ "ops-monitoring:catalog": JSON.stringify(parse(readFileSync(catalogFile, "utf8"))) });
  try {
    runPulumiProgram({ customRules: () => ({}) });
  } catch (e) {
    return e;
  }
  assert.fail("the program registered the stack");
}

test("a catalog problem reaches pulumi up as the readable problem list, without a stack trace", async () => {
  await mocks();
  const printed = printedByPulumi(programError(join(ROOT, "test", "fixtures", "bad", "unknown-kind", "catalog.yaml")));
  assert.equal(
    printed,
    'ops-monitoring:catalog (Pulumi.prod.yaml): 1 problem\n  services[checkout].kind: "mainframe" is not one of frontend | api | edge-function | database | job | llm | external-api',
  );
});

test("missing stack settings reach pulumi up as one message naming the stack, without a stack trace", async () => {
  await mocks();
  const printed = printedByPulumi(programError(join(GOOD, "minimal", "catalog.yaml")));
  assert.match(printed, /^stack prod: \d+ configuration problems?\n/);
  assert.match(printed, /grafana:url/);
  assert.doesNotMatch(printed, STACK_FRAME);
});

test("an unknown Synthetic Monitoring probe is reported under the checks component, naming service and field, without a stack trace", async () => {
  await mocks({ Frankfurt: 1, Singapore: 2 });
  const failures: unknown[] = [];
  // The failed registration is an unhandled rejection, as under `pulumi up`: collect it here.
  const others = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", (reason) => failures.push(reason));
  let component: SyntheticChecks | undefined;
  try {
    const spec: CheckSpec = {
      service: "web",
      name: "shop-probe-web",
      job: "probe-web",
      target: "https://shop.example/health",
      frequency: 60_000,
      timeout: 5000,
      probeNames: ["Atlantis", "Frankfurt"],
      enabled: true,
      alertSensitivity: "none",
      basicMetricsOnly: true,
      settings: {
        http: { method: "GET", ipVersion: "V4", validStatusCodes: [200], failIfNotSsl: true, noFollowRedirects: false },
      },
    };
    component = new SyntheticChecks("shop-synthetics", { checks: [spec] });
    await new Promise((resolve) => setTimeout(resolve, 500));
  } finally {
    process.removeAllListeners("unhandledRejection");
    for (const l of others) process.on("unhandledRejection", l);
  }
  assert.equal(component.checks.length, 1);
  assert.ok(failures.length > 0, "the unknown probe failed the run");
  const printed = printedByPulumi(failures[0]);
  // As the language host does: the logged error ends the run (and its pending registrations are no leak).
  await pulumi.log.error(printed);
  assert.equal(
    printed,
    'error serializing property "probes": catalog: 1 problem\n  services[web].health.probes: unknown Synthetic Monitoring probe Atlantis; available: Frankfurt, Singapore',
  );
  assert.equal((failures[0] as pulumi.ResourceError).resource, component);
});
