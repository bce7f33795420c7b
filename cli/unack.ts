/**
 * `unack ID [--stack prod | --alertmanager URL]`: ends an ack early by expiring its silence,
 * at the same place `ack` would send it (`ack-target.ts`).
 */
import { UsageError, type Args } from "./args";
import { checkFlags, resolveTarget } from "./ack";
import { HttpError } from "./http";
import { expireSilence } from "./silences";

const USAGE = "usage: ops-monitoring unack ID [--stack prod | --alertmanager URL] [--timeout 10s]";
/** Alertmanager silence ids are UUIDs; Grafana's are the same. */
const ID_RE = /^[A-Za-z0-9-]{1,64}$/;

export async function run(args: Args): Promise<number> {
  if (args.flags.help === true) {
    console.log(USAGE);
    return 0;
  }
  checkFlags(args, ["alertmanager", "stack", "catalog", "custom-rules", "timeout"], USAGE);
  if (args.positional.length !== 1)
    throw new UsageError(`unack takes exactly one silence ID (as ack printed it)\n${USAGE}`);
  const id = args.positional[0];
  if (!ID_RE.test(id)) throw new UsageError(`"${id}" is not a silence id (as ack printed it, e.g. 0b9c…-…)`);
  const { target } = resolveTarget(args);
  try {
    await expireSilence(target.endpoint, id);
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    console.error(`ops-monitoring unack: ${e.message}`);
    return 1;
  }
  console.error(`expired silence ${id} at ${target.endpoint.name}: its alerts notify again`);
  return 0;
}
