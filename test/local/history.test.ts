/**
 * How synthetic history becomes TSDB blocks (local/history.ts): few, large promtool calls, and
 * every sample written reaches Prometheus.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { validateCatalog } from "../../catalog/validate";
import { createBlocks, HISTORY_SCRAPE_MS, writeHistory } from "../../local/history";

const HOUR = 3600_000;
const work = mkdtempSync(join(tmpdir(), "history-test-"));
after(() => rmSync(work, { recursive: true, force: true }));

test("four days of history are two OpenMetrics files, 54 hours each at most, and promtool makes one block of each", async () => {
  const catalog = validateCatalog({ system: "history", services: [{ name: "refresh", kind: "job", heartbeat: "1h" }] });
  const startMs = 10 * 54 * HOUR;
  const range = { startMs, endMs: startMs + 96 * HOUR };
  const { files, samples } = writeHistory(catalog, range, join(work, "openmetrics"));
  assert.equal(files.length, 2);
  const stamps = (f: string) =>
    readFileSync(f, "utf8")
      .split("\n")
      .filter((l) => l && !l.startsWith("#"))
      .map((l) => Number(l.slice(l.lastIndexOf(" ") + 1)) * 1000);
  const [first, second] = files.map(stamps);
  assert.equal(Math.min(...first), startMs);
  assert.equal(Math.max(...first), startMs + 54 * HOUR - HISTORY_SCRAPE_MS);
  assert.equal(Math.min(...second), startMs + 54 * HOUR);
  assert.equal(Math.max(...second), range.endMs);
  assert.equal(first.length + second.length, samples);

  await createBlocks("promtool", files, join(work, "blocks"));
  const blocks = readdirSync(join(work, "blocks")).map(
    (b) =>
      JSON.parse(readFileSync(join(work, "blocks", b, "meta.json"), "utf8")) as {
        minTime: number;
        maxTime: number;
        stats: { numSamples: number };
      },
  );
  assert.deepEqual(
    blocks.map((b) => [b.minTime, b.maxTime]).sort((a, b) => a[0] - b[0]),
    [
      [startMs, startMs + 54 * HOUR - HISTORY_SCRAPE_MS + 1],
      [startMs + 54 * HOUR, range.endMs + 1],
    ],
  );
  assert.equal(
    blocks.reduce((n, b) => n + b.stats.numSamples, 0),
    samples,
  );
});
