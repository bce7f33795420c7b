/**
 * Vercel env vars and GitHub Actions secrets/variables, from their pure specs. Values never
 * appear: plain values are reported as changed, secrets by the name of their config key.
 */
import { formatDuration } from "../catalog/units";
import type { VercelEnvSource, VercelEnvSpec } from "../env/vercel-env";
import type { GitHubActionsSpec, GitHubValueSource } from "../env/github-actions";
import { change, keyed, list } from "./text";

function vercelSource(a: VercelEnvSource, b: VercelEnvSource): string[] {
  if ("secret" in a && "secret" in b) return a.secret === b.secret ? [] : [`secret ref ${a.secret} -> ${b.secret}`];
  if ("value" in a && "value" in b) return a.value === b.value ? [] : ["value changed"];
  return "secret" in a
    ? [`secret ref ${a.secret} -> plain value`]
    : [`plain value -> secret ref ${(b as { secret: string }).secret}`];
}

function vercelChanges(a: VercelEnvSpec, b: VercelEnvSpec): string[] {
  const date = (ms: number | undefined) => (ms === undefined ? undefined : formatDuration(ms));
  return [
    ...change("project", a.project, b.project),
    ...change("team", a.teamId, b.teamId),
    ...change("targets", list(a.targets), list(b.targets)),
    ...vercelSource(a.source, b.source),
    ...change("sensitive", String(a.sensitive), String(b.sensitive)),
    ...change("rotate_every", date(a.rotateEveryMs), date(b.rotateEveryMs)),
    ...change("rotated_at", a.rotatedAt, b.rotatedAt),
  ];
}

export function diffVercel(before: readonly VercelEnvSpec[], after: readonly VercelEnvSpec[]): string[] {
  const lines: string[] = [];
  for (const [id, a, b] of keyed(before, after, (s) => `${s.service} ${s.key}${s.part ? ` [${s.part}]` : ""}`)) {
    if (!a)
      lines.push(
        `vercel ${id}: added (targets ${list(b!.targets)}${"secret" in b!.source ? `, secret ref ${b!.source.secret}` : ""})`,
      );
    else if (!b) lines.push(`vercel ${id}: removed`);
    else {
      const changes = vercelChanges(a, b);
      if (changes.length) lines.push(`vercel ${id}: ${changes.join("; ")}`);
    }
  }
  return lines;
}

function sourceName(s: GitHubValueSource): string {
  return "output" in s ? `output ${s.output}` : `config ${s.config}`;
}

export function diffGitHub(before: readonly GitHubActionsSpec[], after: readonly GitHubActionsSpec[]): string[] {
  const lines: string[] = [];
  for (const [id, a, b] of keyed(before, after, (s) => `${s.kind} ${s.key}`)) {
    if (!a) lines.push(`github ${id}: added (from ${sourceName(b!.source)})`);
    else if (!b) lines.push(`github ${id}: removed`);
    else {
      const changes = [
        ...change("repository", a.repository, b.repository),
        ...change("source", sourceName(a.source), sourceName(b.source)),
      ];
      if (changes.length) lines.push(`github ${id}: ${changes.join("; ")}`);
    }
  }
  return lines;
}
