/** Minimal `--flag value` / `--switch` parsing shared by the commands. */

export interface Args {
  flags: Record<string, string | true>;
  positional: string[];
}

/** Flags that never take a value, so `--json FILE` leaves FILE positional. */
const SWITCHES = new Set(["json", "keep", "list", "slo"]);

export function parseArgs(argv: string[]): Args {
  const flags: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (eq >= 0) flags[name] = a.slice(eq + 1);
      else if (!SWITCHES.has(name) && i + 1 < argv.length && !argv[i + 1].startsWith("--")) flags[name] = argv[++i];
      else flags[name] = true;
    } else positional.push(a);
  }
  return { flags, positional };
}

export class UsageError extends Error {}

export function stringFlag(args: Args, name: string, fallback?: string): string {
  const v = args.flags[name];
  if (typeof v === "string") return v;
  if (v === true) throw new UsageError(`--${name} needs a value`);
  if (fallback === undefined) throw new UsageError(`--${name} is required`);
  return fallback;
}

/** The catalog file a command reads: `--catalog F`, else the production stack file. */
export function catalogPath(args: Args, fallback = "Pulumi.prod.yaml"): string {
  return stringFlag(args, "catalog", fallback);
}
