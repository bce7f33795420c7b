import { test } from "node:test";
import assert from "node:assert/strict";
import {
  formatDuration,
  formatPercent,
  parseBytes,
  parseDuration,
  parsePercent,
  parseSeverity,
} from "../../catalog/units";

test("durations parse in Prometheus syntax and reject anything else", () => {
  assert.equal(parseDuration("90s"), 90_000);
  assert.equal(parseDuration("1h30m"), 5_400_000);
  assert.equal(parseDuration("500ms"), 500);
  assert.equal(parseDuration("30d"), 30 * 86_400_000);
  for (const bad of ["5 minutes", "5", "m5", "", "1.5", ".5s", "1.s", "1.0005s", "1,5s"])
    assert.equal(parseDuration(bad), undefined, bad);
});

test("durations with decimals parse to whole milliseconds and print the way Prometheus reads them", () => {
  assert.equal(parseDuration("1.5s"), 1500);
  assert.equal(parseDuration("0.5m"), 30_000);
  assert.equal(parseDuration("1.25h"), 4_500_000);
  assert.equal(parseDuration("2.5ms"), undefined);
  assert.equal(formatDuration(parseDuration("1.5s")!), "1s500ms");
  assert.equal(formatDuration(parseDuration("0.5m")!), "30s");
});

test("sizes parse with decimal (as providers bill) and binary units", () => {
  assert.equal(parseBytes("500MB"), 500_000_000);
  assert.equal(parseBytes("1GB"), 1_000_000_000);
  assert.equal(parseBytes("100GB"), 100_000_000_000);
  assert.equal(parseBytes("1GiB"), 1_073_741_824);
  assert.equal(parseBytes("1.5 MiB"), 1_572_864);
  for (const bad of ["500", "5 gigabytes", "MB", "1mb", ""]) assert.equal(parseBytes(bad), undefined, bad);
});

test("durations print in the canonical form Prometheus and Grafana return", () => {
  assert.equal(formatDuration(60 * 60_000), "1h");
  assert.equal(formatDuration(90 * 60_000), "1h30m");
  assert.equal(formatDuration(14 * 86_400_000), "2w");
  assert.equal(formatDuration(30 * 86_400_000), "30d");
  assert.equal(formatDuration(0), "0s");
  for (const d of ["5m", "1h", "30d", "2w", "1h30m", "500ms", "1y"]) assert.equal(formatDuration(parseDuration(d)!), d);
});

test("percentages parse to ratios and print without float noise", () => {
  assert.equal(parsePercent("5%"), 0.05);
  assert.equal(parsePercent("0.1%"), 0.001);
  assert.equal(parsePercent("five"), undefined);
  assert.equal(formatPercent(0.001), "0.1%");
  assert.equal(formatPercent(0.999), "99.9%");
});

test("every severity alias maps to its canonical severity", () => {
  const table: Record<string, string> = {
    SEV1: "P0",
    sev2: "P1",
    SEV3: "P2",
    SEV4: "P3",
    critical: "P0",
    High: "P1",
    medium: "P2",
    low: "P3",
    p2: "P2",
  };
  for (const [alias, canonical] of Object.entries(table)) assert.equal(parseSeverity(alias), canonical, alias);
  assert.equal(parseSeverity("P4"), undefined);
});
