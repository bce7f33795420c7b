/** The git repo and history Prometheus that the backtest and demo-week tests run `backtest` against. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCatalogFile } from "../../catalog/load";
import { writeBlocks } from "../../local/history";
import { serveHistory, type HistoryPrometheus } from "../../local/history-prometheus";
import { ROOT } from "../helpers/catalogs";
import { gitRepo, type GitRepo } from "../diff/git-repo";

export const HOUR = 3600_000;
/** Twelve hours from Unix time 0, where promtool's test clock starts too. */
export const HISTORY = { startMs: 0, endMs: 12 * HOUR };

/** The demo catalog as `start` writes it, its app and sink pointing nowhere. */
export const DEMO_YAML = readFileSync(join(ROOT, "local", "demo-catalog.yaml"), "utf8")
  .replace(/\$\{DEMO_APP\}/g, "http://127.0.0.1:9")
  .replace(/\$\{LOCAL_SINK\}/g, "http://127.0.0.1:9/");

export interface HistoryFixture {
  /** A temp dir for the test's own files. */
  work: string;
  repo: GitRepo;
  prom: HistoryPrometheus;
  /** The OpenMetrics text the blocks were built from. */
  openMetrics(): string;
  remove(): Promise<void>;
}

/**
 * A git repo with `committed` as catalog.yaml (then `working` written over it, uncommitted, when
 * given) and an empty custom/ dir, and a Prometheus serving the working catalog's HISTORY.
 */
export async function historyFixture(committed: string, working?: string): Promise<HistoryFixture> {
  const work = mkdtempSync(join(tmpdir(), "ops-monitoring-backtest-"));
  const repo = gitRepo();
  const catalog = join(repo.dir, "catalog.yaml");
  let prom: HistoryPrometheus | undefined;
  const remove = async () => {
    await prom?.stop();
    repo.remove();
    rmSync(work, { recursive: true, force: true });
  };
  try {
    repo.commit("catalog", { "catalog.yaml": committed });
    if (working !== undefined) writeFileSync(catalog, working);
    mkdirSync(join(repo.dir, "custom"));
    const { blocks, files = [] } = await writeBlocks(
      loadCatalogFile(catalog),
      HISTORY,
      join(work, "history"),
      "promtool",
      {
        keepOpenMetrics: true,
      },
    );
    prom = await serveHistory("prometheus", blocks);
    return {
      work,
      repo,
      prom,
      openMetrics: () => files.map((f) => readFileSync(f, "utf8")).join(""),
      remove,
    };
  } catch (e) {
    await remove();
    throw e;
  }
}
