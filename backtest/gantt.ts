/**
 * A Mermaid gantt chart of one alert's firing episodes, base above head, for the PR comment
 * (GitHub renders ```mermaid blocks). Times are UTC.
 * @see https://mermaid.js.org/syntax/gantt.html
 */
import { LABEL } from "../conventions";
import type { AlertResult, BacktestResult, Side } from "./run";

/** Labels every alert has (the alert contract and `alert`, its name): they tell no two alerts of one name apart. */
export const CONTRACT_LABELS: ReadonlySet<string> = new Set([LABEL.alert, "service", "severity", "signal", "team"]);

/** Episodes drawn per side; a week of a flapping alert would not be readable anyway. */
const MAX_EPISODES = 40;

const at = (iso: string) => iso.slice(0, 19).replace("T", " ");

function section(r: BacktestResult, name: string, side: Side | null | undefined, prefix: string): string[] {
  if (!side) return [`  section ${name}`, `  absent :milestone, ${prefix}0, ${at(r.from)}, 0d`];
  if (!side.episodes.length) return [`  section ${name}`, `  no episode :milestone, ${prefix}0, ${at(r.from)}, 0d`];
  const shown = side.episodes.slice(0, MAX_EPISODES);
  return [
    `  section ${name}`,
    ...shown.map(
      (e, i) => `  firing :${prefix === "h" ? "crit, " : ""}${prefix}${i + 1}, ${at(e.start)}, ${at(e.end ?? r.to)}`,
    ),
    ...(side.episodes.length > shown.length
      ? [`  ${side.episodes.length - shown.length} more :milestone, ${prefix}more, ${at(r.to)}, 0d`]
      : []),
  ];
}

export function gantt(r: BacktestResult, a: AlertResult): string[] {
  const labels = Object.entries(a.labels)
    .filter(([k]) => !CONTRACT_LABELS.has(k))
    .map(([k, v]) => `${k}=${v}`);
  const title = `${a.labels.service} ${a.alert} ${a.labels.severity}${labels.length ? ` ${labels.join(" ")}` : ""}`;
  return [
    "```mermaid",
    "gantt",
    `  title ${title.replace(/[\n:#;]/g, " ")} (UTC)`,
    "  dateFormat YYYY-MM-DD HH:mm:ss",
    "  axisFormat %m-%d %H:%M",
    ...section(r, "base", a.base, "b"),
    ...section(r, "head", a.head, "h"),
    "```",
  ];
}
