/** A throwaway git repository for tests that need history (diff --base, rollback by revert). */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface GitRepo {
  dir: string;
  git(...args: string[]): string;
  /** Writes files (relative path → content) and commits them; returns the commit id. */
  commit(message: string, files: Record<string, string>): string;
  remove(): void;
}

export function gitRepo(): GitRepo {
  const dir = mkdtempSync(join(tmpdir(), "ops-monitoring-git-"));
  const git = (...args: string[]) =>
    execFileSync(
      "git",
      ["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args],
      {
        cwd: dir,
        encoding: "utf8",
      },
    );
  git("init", "--quiet", "--initial-branch=main");
  return {
    dir,
    git,
    commit(message, files) {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
      git("add", "--all");
      git("commit", "--quiet", "-m", message);
      return git("rev-parse", "HEAD").trim();
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
