/**
 * How synthetic history becomes TSDB blocks (local/history.ts writeBlocks, as `start --history`
 * builds it): few, large promtool calls, and every sample written reaches Prometheus.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { validateCatalog } from "../../catalog/validate";
import { HISTORY_SCRAPE_MS, writeBlocks } from "../../local/history";

const HOUR = 3600_000;
const work = mkdtempSync(join(tmpdir(), "history-test-"));
after(() => rmSync(work, { recursive: true, force: true }));

const catalog = () =>
  validateCatalog({ system: "history", services: [{ name: "refresh", kind: "job", heartbeat: "1h" }] });

test("four days of history are two 54-hour TSDB blocks at most, each promtool call written while the next file is, every sample kept", async () => {
  const startMs = 10 * 54 * HOUR;
  const range = { startMs, endMs: startMs + 96 * HOUR };
  const { blocks, samples } = await writeBlocks(catalog(), range, join(work, "ok"), "promtool");
  const metas = readdirSync(blocks).map(
    (b) =>
      JSON.parse(readFileSync(join(blocks, b, "meta.json"), "utf8")) as {
        minTime: number;
        maxTime: number;
        stats: { numSamples: number };
      },
  );
  assert.deepEqual(
    metas.map((b) => [b.minTime, b.maxTime]).sort((a, b) => a[0] - b[0]),
    [
      [startMs, startMs + 54 * HOUR - HISTORY_SCRAPE_MS + 1],
      [startMs + 54 * HOUR, range.endMs + 1],
    ],
  );
  assert.equal(
    metas.reduce((n, b) => n + b.stats.numSamples, 0),
    samples,
  );
  assert.deepEqual(readdirSync(join(work, "ok")), ["blocks"], "the OpenMetrics files are removed");
});

test("a failing promtool fails the history build", async () => {
  const range = { startMs: 0, endMs: 3 * HOUR };
  await assert.rejects(writeBlocks(catalog(), range, join(work, "failing"), "false"), /Command failed: false/);
});
