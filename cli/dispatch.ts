/**
 * The command line as a function: dispatches to `cli/<command>.ts`, turns catalog and usage
 * errors into a readable message and exit code 2, anything else into exit 1, never a stack
 * trace. `cli/main.ts` runs it for `bin/ops-monitoring`; tests call it in-process.
 */
import { CatalogError } from "../catalog/diagnostics";
import { parseArgs, UsageError, type Args } from "./args";

type Command = (args: Args) => number | Promise<number>;

/** Commands load lazily: `plan` pulls in the Pulumi SDK, `render` should not pay for it. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  render: { summary: "render --catalog F --out DIR      write every artifact (no secret values)", load: async () => (await import("./render.js")).run },
  verify: { summary: "verify --catalog F                promtool/amtool/blackbox checks + generated rule tests", load: async () => (await import("./verify.js")).run },
  plan: { summary: "plan --catalog F --stack prod|local [--json]   resources the Pulumi program registers (mocked engine)", load: async () => (await import("./plan.js")).run },
  diff: { summary: "diff --base REF [--catalog F]     semantic diff of the monitoring between REF and the work tree", load: async () => (await import("./diff.js")).run },
  start: { summary: "start [--catalog F]               local stack from native binaries (default: the demo catalog)", load: async () => (await import("./start.js")).run },
  backtest: {
    summary: "backtest --prometheus URL --from T --to T [--step D] [--base REF] [--json|--format markdown]   replay every alert over Prometheus history",
    load: async () => (await import("./backtest.js")).run,
  },
  ack: {
    summary: "ack ALERTNAME [--service S] [--for 1h] [--comment TEXT] [--alertmanager URL]   silence an alert and its escalation; prints the silence id",
    load: async () => (await import("./ack.js")).run,
  },
  secrets: { summary: "secrets [--catalog F]             rotation due dates; exit 1 when one is overdue", load: async () => (await import("./secrets.js")).run },
};

function usage(): string {
  return ["usage: ops-monitoring <command> [options]", "", ...Object.values(COMMANDS).map((c) => `  ${c.summary}`)].join("\n");
}

async function dispatch(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(`ops-monitoring: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    const run = await command.load();
    return await run(parseArgs(rest));
  } catch (e) {
    if (e instanceof CatalogError || e instanceof UsageError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
}

/** Runs `ops-monitoring <argv>` and resolves to its exit code (2: bad catalog or usage, 1: failure). */
export function main(argv: string[]): Promise<number> {
  return dispatch(argv).catch((e: unknown) => {
    console.error(`ops-monitoring: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  });
}
