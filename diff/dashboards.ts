/** Dashboards compared by key: title, panels added or removed (by title), panels whose queries changed. */
import type { DashboardDoc } from "../dashboards";
import { canonical, change, keyed, plural } from "./text";

interface Panel {
  title?: string;
  panels?: Panel[];
  [field: string]: unknown;
}

/** Every panel, rows' nested panels included, in order. */
function panelsOf(doc: DashboardDoc): Panel[] {
  const flat = (panels: Panel[]): Panel[] => panels.flatMap((p) => [p, ...flat(p.panels ?? [])]);
  return flat((doc.json.panels ?? []) as Panel[]);
}

/** A panel without its position and id, which move when others are added. */
function content(panel: Panel): string {
  const { id: _id, gridPos: _gridPos, panels: _panels, ...rest } = panel;
  return canonical(rest);
}

function titles(panels: Panel[]): string[] {
  return panels.map((p) => p.title ?? "(untitled)");
}

function dashboardChanges(a: DashboardDoc, b: DashboardDoc): string[] {
  const pa = panelsOf(a);
  const pb = panelsOf(b);
  const out = [...change("title", a.title, b.title), ...change("uid", a.uid, b.uid)];
  const delta = pb.length - pa.length;
  const added = titles(pb).filter((t) => !titles(pa).includes(t));
  const removed = titles(pa).filter((t) => !titles(pb).includes(t));
  if (delta > 0) out.push(`+${plural(delta, "panel")}${added.length ? ` (${added.join(", ")})` : ""}`);
  if (delta < 0) out.push(`-${plural(-delta, "panel")}${removed.length ? ` (${removed.join(", ")})` : ""}`);
  if (delta === 0 && (added.length || removed.length))
    out.push(`panels renamed: ${removed.join(", ")} -> ${added.join(", ")}`);
  const byTitle = new Map(pa.map((p) => [p.title, p]));
  const changed = pb
    .filter((p) => byTitle.has(p.title) && content(byTitle.get(p.title)!) !== content(p))
    .map((p) => p.title ?? "(untitled)");
  if (changed.length) out.push(`panel${changed.length > 1 ? "s" : ""} ${changed.join(", ")} changed`);
  if (!out.length) {
    const rest = (d: DashboardDoc) => canonical({ ...d.json, panels: undefined });
    if (rest(a) !== rest(b) || canonical(pa.map((p) => p.gridPos)) !== canonical(pb.map((p) => p.gridPos)))
      out.push("layout or settings changed");
  }
  return out;
}

export function diffDashboards(before: readonly DashboardDoc[], after: readonly DashboardDoc[]): string[] {
  const lines: string[] = [];
  for (const [key, a, b] of keyed(before, after, (d) => d.key)) {
    if (!a) lines.push(`dashboard ${key}: added (${plural(panelsOf(b!).length, "panel")})`);
    else if (!b) lines.push(`dashboard ${key}: removed`);
    else {
      const changes = dashboardChanges(a, b);
      if (changes.length) lines.push(`dashboard ${key}: ${changes.join("; ")}`);
    }
  }
  return lines;
}
