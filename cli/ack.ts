/**
 * `ack ALERTNAME [--service S] [--for 1h] [--comment TEXT] [--alertmanager URL]`: acknowledges
 * an alert by creating an Alertmanager silence (v2 API) on its `alertname` (and `service`). The
 * escalated copy of an alert has the same `alertname`, so the one silence stops both the
 * re-notification and the escalation. Prints the silence id on stdout.
 *
 * Alertmanager: `--alertmanager`, else `ALERTMANAGER_URL`, else the one `start` running on this
 * machine, else http://127.0.0.1:9093 (the `local` Pulumi stack's port).
 */
import { userInfo } from "node:os";
import { formatDuration, parseDuration } from "../catalog/units";
import { LABEL } from "../conventions";
import { runningStacks } from "../local/running";
import { stringFlag, UsageError, type Args } from "./args";

const DEFAULT_ALERTMANAGER = "http://127.0.0.1:9093";
const DEFAULT_FOR = "1h";
const ALERTNAME_RE = /^[A-Za-z_:][A-Za-z0-9_:]*$/;
const USAGE = "usage: ops-monitoring ack ALERTNAME [--service S] [--for 1h] [--comment TEXT] [--alertmanager URL]";

interface Matcher {
  name: string;
  value: string;
  isRegex: false;
  isEqual: true;
}

/** The Alertmanager to talk to, and where that choice came from. */
export function alertmanagerUrl(args: Args, env: NodeJS.ProcessEnv = process.env): { url: string; from: string } {
  if (typeof args.flags.alertmanager === "string") return { url: args.flags.alertmanager, from: "--alertmanager" };
  if (env.ALERTMANAGER_URL) return { url: env.ALERTMANAGER_URL, from: "ALERTMANAGER_URL" };
  const running = runningStacks();
  if (running.length > 1) {
    throw new UsageError(
      `${running.length} local stacks are running (${running.map((r) => `pid ${r.pid}: ${r.alertmanager}`).join(", ")}); pass --alertmanager URL`,
    );
  }
  if (running.length === 1) return { url: running[0].alertmanager, from: `the local stack of pid ${running[0].pid}` };
  return { url: DEFAULT_ALERTMANAGER, from: "default" };
}

function parse(args: Args): { alertname: string; service?: string; forMs: number; comment: string } {
  const known = new Set(["service", "for", "comment", "alertmanager"]);
  const unknown = Object.keys(args.flags).filter((f) => !known.has(f));
  if (unknown.length) throw new UsageError(`unknown option ${unknown.map((f) => `--${f}`).join(", ")}\n${USAGE}`);
  if (args.positional.length !== 1) throw new UsageError(`ack takes exactly one ALERTNAME\n${USAGE}`);
  const alertname = args.positional[0];
  if (!ALERTNAME_RE.test(alertname))
    throw new UsageError(`"${alertname}" is not an alert name (letters, digits, _ and :)`);
  const forText = stringFlag(args, "for", DEFAULT_FOR);
  const forMs = parseDuration(forText);
  if (!forMs) throw new UsageError(`--for "${forText}" is not a duration like 30m or 2h`);
  const service = args.flags.service === undefined ? undefined : stringFlag(args, "service");
  return { alertname, service, forMs, comment: stringFlag(args, "comment", "acknowledged with ops-monitoring ack") };
}

export async function run(args: Args): Promise<number> {
  if (args.flags.help === true) {
    console.log(USAGE);
    return 0;
  }
  const { alertname, service, forMs, comment } = parse(args);
  const { url, from } = alertmanagerUrl(args);
  const base = url.replace(/\/+$/, "");
  const matchers: Matcher[] = [
    { name: "alertname", value: alertname, isRegex: false, isEqual: true },
    ...(service ? [{ name: LABEL.service, value: service, isRegex: false as const, isEqual: true as const }] : []),
  ];
  const what = `${alertname}${service ? `{${LABEL.service}="${service}"}` : ""}`;
  const now = new Date();
  const endsAt = new Date(now.getTime() + forMs);
  const createdBy = process.env.USER || userInfo().username;

  let active: unknown[] | undefined;
  let response: Response;
  try {
    const filter = matchers.map((m) => `filter=${encodeURIComponent(`${m.name}="${m.value}"`)}`).join("&");
    const alerts = await fetch(`${base}/api/v2/alerts?active=true&silenced=false&inhibited=false&${filter}`);
    if (alerts.ok) active = (await alerts.json()) as unknown[];
    response = await fetch(`${base}/api/v2/silences`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ matchers, startsAt: now.toISOString(), endsAt: endsAt.toISOString(), createdBy, comment }),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    console.error(
      `ops-monitoring ack: cannot reach Alertmanager at ${base} (${from}): ${cause?.code ?? cause?.message ?? String(e)}\n` +
        "  is `bin/ops-monitoring start` running? otherwise pass --alertmanager URL or set ALERTMANAGER_URL",
    );
    return 1;
  }
  if (!response.ok) {
    console.error(
      `ops-monitoring ack: Alertmanager at ${base} refused the silence: HTTP ${response.status} ${(await response.text()).trim()}`,
    );
    return 1;
  }
  const { silenceID } = (await response.json()) as { silenceID: string };
  console.log(silenceID);
  console.error(
    `acknowledged ${what} for ${formatDuration(forMs)} (until ${endsAt.toISOString()}) by ${createdBy}: no re-notification, no escalation. ` +
      `Undo: expire silence ${silenceID} at ${base}/#/silences`,
  );
  if (active && active.length === 0)
    console.error(`note: no ${what} alert is notifying now; the silence applies when one fires`);
  return 0;
}
