/**
 * `ack ALERTNAME [--service S] [--for 1h] [--comment TEXT] [--stack prod | --alertmanager URL]`:
 * acknowledges an alert by creating a silence (Alertmanager v2 API) on it and its escalated
 * copy; prints the silence id on stdout. `ack --list` prints the current acks. The silence
 * matches the `alert` label (and `service`) in both targets (`ack-matchers.ts`); in Grafana an
 * alert name the catalog lacks is refused first. Where it is sent: `ack-target.ts`.
 */
import { userInfo } from "node:os";
import { ruleGroupsOf } from "../artifacts";
import { formatDuration, parseDuration } from "../catalog/units";
import { LABEL } from "../conventions";
import { stringFlag, UsageError, type Args } from "./args";
import { ackMatchers, alertNames } from "./ack-matchers";
import { alertmanagerTarget, grafanaTarget, targetsGrafana, type Target } from "./ack-target";
import { HttpError, serverText } from "./http";
import { loadInputs } from "./inputs";
import { createSilence, currentSilences, notifyingCount, type Matcher, type Silence } from "./silences";

const DEFAULT_FOR = "1h";
/** The longest ack: beyond it the alert needs a catalog change or a mute timing, not an ack. */
export const MAX_ACK = "30d";
const ALERTNAME_RE = /^[A-Za-z_:][A-Za-z0-9_:]*$/;
const USAGE = [
  "usage: ops-monitoring ack ALERTNAME [--service S] [--for 1h] [--comment TEXT] [--stack prod | --alertmanager URL] [--timeout 10s]",
  "       ops-monitoring ack --list [--stack prod | --alertmanager URL]",
].join("\n");
const ACK_FLAGS = ["service", "for", "comment"];
const COMMON_FLAGS = ["alertmanager", "stack", "catalog", "custom-rules", "timeout"];

/** Refuses unknown options and empty values (`--service ''`, an unset `$SVC`). */
export function checkFlags(args: Args, known: string[], usage: string): void {
  const unknown = Object.keys(args.flags).filter((f) => !known.includes(f));
  if (unknown.length) throw new UsageError(`unknown option ${unknown.map((f) => `--${f}`).join(", ")}\n${usage}`);
  const empty = Object.entries(args.flags).filter(([, v]) => v === "" || (typeof v === "string" && v.trim() === ""));
  if (empty.length)
    throw new UsageError(
      `${empty.map(([f]) => `--${f}`).join(", ")} is empty (an unset variable?); give a value or leave the option out`,
    );
}

interface Ack {
  alertname: string;
  service?: string;
  forMs: number;
  comment: string;
}

function parse(args: Args): Ack {
  checkFlags(args, [...ACK_FLAGS, ...COMMON_FLAGS], USAGE);
  if (args.positional.length !== 1) throw new UsageError(`ack takes exactly one ALERTNAME\n${USAGE}`);
  const alertname = args.positional[0];
  if (!ALERTNAME_RE.test(alertname))
    throw new UsageError(`"${alertname}" is not an alert name (letters, digits, _ and :)`);
  const forText = stringFlag(args, "for", DEFAULT_FOR);
  const forMs = parseDuration(forText);
  if (!forMs) throw new UsageError(`--for "${forText}" is not a duration like 30m or 2h`);
  if (forMs > parseDuration(MAX_ACK)!)
    throw new UsageError(
      `--for ${forText} is longer than ${MAX_ACK}: an alert silenced that long needs a catalog change or a mute timing`,
    );
  const service = args.flags.service === undefined ? undefined : stringFlag(args, "service");
  return { alertname, service, forMs, comment: stringFlag(args, "comment", "acknowledged with ops-monitoring ack") };
}

/** The target and, for an ack in Grafana, its matchers once the catalog is known to have that alert. */
export function resolveTarget(args: Args): { target: Target; matchersFor?: (ack: Ack) => Matcher[] } {
  if (!targetsGrafana(args)) return { target: alertmanagerTarget(args) };
  const { catalog, customRules, path } = loadInputs(args);
  if (!catalog.grafanaUrl) throw new UsageError(`${path}: grafana.url is not set: the prod Grafana is not known`);
  return {
    target: grafanaTarget(args, catalog.grafanaUrl),
    matchersFor: ({ alertname, service }) => {
      const rules = ruleGroupsOf(catalog, { customRules, profile: "prod" });
      const known = alertNames(rules, service);
      if (!known.includes(alertname)) {
        throw new UsageError(
          `${path}: no alert ${alertname}${service === undefined ? "" : ` of service ${service}`} in the catalog` +
            (known.length ? ` (its alerts: ${known.join(", ")})` : service === undefined ? "" : " (no such service?)"),
        );
      }
      return ackMatchers(alertname, service);
    },
  };
}

/** `{name="v", name=~"re"}` as Alertmanager shows matchers, server text made printable. */
export function formatMatchers(matchers: Matcher[]): string {
  const one = (m: Matcher) =>
    `${m.name}${m.isEqual === false ? "!" : ""}${m.isRegex ? "=~" : "="}${JSON.stringify(m.value)}`;
  return serverText(`{${matchers.map(one).join(", ")}}`, 400);
}

/** One line per current ack: id, until when, who, what, comment. */
export function formatSilence(s: Silence): string {
  const state = s.status.state === "pending" ? ` (from ${serverText(s.startsAt)})` : "";
  return [
    serverText(s.id),
    `until ${serverText(s.endsAt)}${state}`,
    `by ${serverText(s.createdBy, 80)}`,
    formatMatchers(s.matchers),
    JSON.stringify(serverText(s.comment)),
  ].join("  ");
}

async function list(args: Args): Promise<number> {
  checkFlags(args, ["list", ...COMMON_FLAGS], USAGE);
  if (args.positional.length) throw new UsageError(`ack --list takes no ALERTNAME\n${USAGE}`);
  const { target } = resolveTarget(args);
  const silences = await currentSilences(target.endpoint);
  for (const s of silences) console.log(formatSilence(s));
  console.error(`${silences.length} ack${silences.length === 1 ? "" : "s"} at ${target.endpoint.name}`);
  return 0;
}

async function ack(args: Args): Promise<number> {
  const request = parse(args);
  const { target, matchersFor } = resolveTarget(args);
  const matchers = matchersFor ? matchersFor(request) : ackMatchers(request.alertname, request.service);
  const { alertname, service, forMs, comment } = request;
  const what = `${alertname}${service ? `{${LABEL.service}="${service}"}` : ""}`;
  const now = new Date();
  const endsAt = new Date(now.getTime() + forMs);
  const createdBy = process.env.USER || userInfo().username;
  const notifying = await notifyingCount(target.endpoint, matchers);
  const id = await createSilence(target.endpoint, {
    matchers,
    startsAt: now.toISOString(),
    endsAt: endsAt.toISOString(),
    createdBy,
    comment,
  });
  console.log(id);
  const stack = target.grafana ? ` --stack ${stringFlag(args, "stack")}` : "";
  console.error(
    `acknowledged ${what} for ${formatDuration(forMs)} (until ${endsAt.toISOString()}) by ${createdBy} at ${target.endpoint.name}: ` +
      `no re-notification, no escalation. Silence ${formatMatchers(matchers)}. Undo: bin/ops-monitoring unack ${id}${stack}`,
  );
  if (notifying === 0) console.error(`note: no ${what} alert is notifying now; the silence applies when one fires`);
  return 0;
}

export async function run(args: Args): Promise<number> {
  if (args.flags.help === true) {
    console.log(USAGE);
    return 0;
  }
  try {
    return await (args.flags.list === undefined ? ack(args) : list(args));
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    console.error(`ops-monitoring ack: ${e.message}`);
    if (/cannot reach|did not answer/.test(e.message))
      console.error(
        "  is `bin/ops-monitoring start` running? otherwise pass --alertmanager URL or set ALERTMANAGER_URL (prod: --stack prod)",
      );
    return 1;
  }
}
