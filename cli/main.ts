/**
 * `bin/ops-monitoring <command>`: dispatches to `cli/<command>.ts`, turns catalog and usage
 * errors into a readable message and exit code 2, never a stack trace.
 */
import { CatalogError } from "../catalog/diagnostics";
import { parseArgs, UsageError, type Args } from "./args";

type Command = (args: Args) => Promise<number>;

/** Commands load lazily: `plan` pulls in the Pulumi SDK, `render` should not pay for it. */
const COMMANDS: Record<string, { summary: string; load: () => Command }> = {
  render: { summary: "render --catalog F --out DIR      write every artifact (no secret values)", load: () => require("./render").run },
  verify: { summary: "verify --catalog F                promtool/amtool/blackbox checks + generated rule tests", load: () => require("./verify").run },
  plan: { summary: "plan --catalog F --stack prod|local [--json]   resources the Pulumi program registers (mocked engine)", load: () => require("./plan").run },
  diff: { summary: "diff --base REF [--catalog F]     semantic diff of the monitoring between REF and the work tree", load: () => require("./diff").run },
  start: { summary: "start [--catalog F]               local stack from native binaries (default: the demo catalog)", load: () => require("./start").run },
  backtest: {
    summary: "backtest --prometheus URL --from T --to T [--step D] [--base REF] [--json|--format markdown]   replay every alert over Prometheus history",
    load: () => require("./backtest").run,
  },
  ack: {
    summary: "ack ALERTNAME [--service S] [--for 1h] [--comment TEXT] [--alertmanager URL]   silence an alert and its escalation; prints the silence id",
    load: () => require("./ack").run,
  },
  secrets: { summary: "secrets [--catalog F]             rotation due dates; exit 1 when one is overdue", load: () => require("./secrets").run },
};

function usage(): string {
  return ["usage: ops-monitoring <command> [options]", "", ...Object.values(COMMANDS).map((c) => `  ${c.summary}`)].join("\n");
}

async function main(argv: string[]): Promise<number> {
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
    return await command.load()(parseArgs(rest));
  } catch (e) {
    if (e instanceof CatalogError || e instanceof UsageError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(`ops-monitoring: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);
