/**
 * The command line as a function: dispatches to `cli/<command>.ts`, turns catalog and usage
 * errors into a readable message and exit code 2, anything else into exit 1, never a stack
 * trace. `cli/main.ts` runs it for `bin/ops-monitoring`; tests call it in-process.
 */
import { CatalogError } from "../catalog/diagnostics";
import { parseArgs, UsageError, type Args } from "./args";

type Command = (args: Args) => number | Promise<number>;

/**
 * Commands load lazily: `plan` pulls in the Pulumi SDK, `render` should not pay for it.
 * `positional`: how many plain arguments the command takes (default none).
 */
const COMMANDS: Record<string, { usage: string; does: string; positional?: number; load: () => Promise<Command> }> = {
  render: {
    usage: "render --catalog F --out DIR",
    does: "write every artifact (no secret values)",
    load: async () => (await import("./render.js")).run,
  },
  verify: {
    usage: "verify --catalog F [--json]",
    does: "promtool/amtool/blackbox checks + generated rule tests",
    load: async () => (await import("./verify.js")).run,
  },
  plan: {
    usage: "plan --catalog F --stack prod|local [--json]",
    does: "resources the Pulumi program registers (mocked engine)",
    load: async () => (await import("./plan.js")).run,
  },
  diff: {
    usage: "diff --base REF [--catalog F]",
    does: "semantic diff of the monitoring between REF and the work tree",
    load: async () => (await import("./diff.js")).run,
  },
  start: {
    usage: "start [--catalog F]",
    does: "local stack from native binaries (default: the demo catalog)",
    load: async () => (await import("./start.js")).run,
  },
  backtest: {
    usage:
      "backtest --prometheus URL --from T --to T [--step D] [--timeout 30s] [--base REF] [--slo] [--json|--format markdown]",
    does: "replay every alert over Prometheus history",
    load: async () => (await import("./backtest.js")).run,
  },
  ack: {
    usage: "ack ALERTNAME [--service S] [--for 1h] [--comment TEXT] [--stack prod | --alertmanager URL]",
    does: "silence an alert and its escalation; prints the silence id (--list: current acks)",
    positional: 1,
    load: async () => (await import("./ack.js")).run,
  },
  unack: {
    usage: "unack ID [--stack prod | --alertmanager URL]",
    does: "expire an ack's silence",
    positional: 1,
    load: async () => (await import("./unack.js")).run,
  },
  secrets: {
    usage: "secrets [--catalog F] [--today YYYY-MM-DD]",
    does: "rotation due dates; exit 1 when one is overdue",
    load: async () => (await import("./secrets.js")).run,
  },
};

const HELP_FLAGS = new Set(["--help", "-h"]);

function usage(): string {
  return [
    "usage: ops-monitoring <command> [options]   (ops-monitoring <command> --help for one command)",
    "",
    ...Object.values(COMMANDS).map((c) => `  ${c.usage.padEnd(34)} ${c.does}`),
  ].join("\n");
}

function commandHelp(name: string): string {
  const c = COMMANDS[name];
  const catalog = name === "start" ? "the bundled demo catalog" : "Pulumi.prod.yaml";
  return [
    `usage: ops-monitoring ${c.usage}`,
    "",
    `  ${c.does}`,
    "",
    `  --catalog F defaults to ${catalog}; hand-written rules are read from alerts/custom/ beside it (--custom-rules DIR).`,
  ].join("\n");
}

async function dispatch(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || HELP_FLAGS.has(name)) {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(`ops-monitoring: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.some((a) => HELP_FLAGS.has(a))) {
    console.log(commandHelp(name));
    return 0;
  }
  try {
    const args = parseArgs(rest);
    const allowed = command.positional ?? 0;
    if (args.positional.length > allowed) {
      const extra = args.positional[allowed];
      const hint = /\.ya?ml$/.test(extra) ? ` (to read a catalog: --catalog ${extra})` : "";
      throw new UsageError(`${name}: unexpected argument "${extra}"${hint}\n\n${commandHelp(name)}`);
    }
    const run = await command.load();
    return await run(args);
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
