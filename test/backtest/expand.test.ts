import { test } from "node:test";
import assert from "node:assert/strict";
import type { RuleGroup } from "../../alerts/model";
import { promqlError } from "../../catalog/promql";
import { episodesOf, firingAt, firingSeconds } from "../../backtest/evaluate";
import { RecordingRules, vectorSelectors } from "../../alerts/inline-recording";

const group = (rules: RuleGroup["rules"], intervalMs = 60_000): RuleGroup => ({
  name: "g",
  service: "s",
  intervalMs,
  rules,
});
const rec = (record: string, expr: string, labels: Record<string, string> = {}, services?: string[]) => ({
  kind: "record" as const,
  id: `${record}${JSON.stringify(labels)}`,
  record,
  expr,
  labels,
  ...(services ? { services } : {}),
});

const quantiles = new RecordingRules([
  group([
    rec(
      "svc:p",
      'histogram_quantile(0.5, sum by (service, le) (label_replace(rate(h_bucket{job=~"api|web"}[5m]), "service", "$1", "job", "(.*)")))',
      { quantile: "0.5" },
      ["api", "web"],
    ),
    rec(
      "svc:p",
      'histogram_quantile(0.95, sum by (service, le) (label_replace(rate(h_bucket{job=~"api|web"}[5m]), "service", "$1", "job", "(.*)")))',
      { quantile: "0.95" },
      ["api", "web"],
    ),
    rec("svc:ratio", "sum(rate(errors_total[5m])) / sum(rate(requests_total[5m]))", { service: "db" }),
    rec("svc:ratio_of_ratio", "svc:ratio * 2", { service: "db" }),
  ]),
]);

test("a recording rule is replaced by the rules writing it whose own labels the selector accepts, with those labels set", () => {
  const out = quantiles.expand('svc:p{quantile="0.95"} > 2');
  assert.doesNotMatch(out, /0\.5,/, "the 0.5 rule is left out");
  assert.ok(out.startsWith("(label_replace(histogram_quantile(0.95, "), out);
  assert.ok(out.endsWith(', "quantile", "0.95", "", "")) > 2'), out);
  assert.equal(promqlError(out), undefined);
});

test("a shared rule reads only the jobs of the services the selector picks, and still filters on service", () => {
  const out = quantiles.expand('svc:p{service="web", quantile="0.95"}');
  assert.deepEqual(vectorSelectors(out), ['h_bucket{job=~"web"}']);
  assert.match(out, /"ops_monitoring_backtest_keep", "1", "service", "web"\) and on \(ops_monitoring_backtest_keep\)/);
  assert.equal(quantiles.expand('svc:p{service="billing"}'), "((vector(0) < 0))", "no rule computes for billing");
});

test("negative and regex matchers on labels the rule computes keep or drop series as a selector would", () => {
  const out = quantiles.expand('svc:p{quantile="0.5", service!~"a.*"}');
  assert.match(
    out,
    /"ops_monitoring_backtest_keep", "1", "service", "a\.\*"\) unless on \(ops_monitoring_backtest_keep\)/,
  );
  assert.match(quantiles.expand('svc:p{quantile="0.5", service!="a.b"}'), /"service", "a\\\\\.b"\) unless/);
});

test("range selectors become subqueries at the rule's interval, offsets a lookback subquery, nested rules expand too", () => {
  assert.equal(
    quantiles.expand('avg_over_time(svc:ratio{service="db"}[1h])'),
    'avg_over_time((label_replace(sum(rate(errors_total[5m])) / sum(rate(requests_total[5m])), "service", "db", "", ""))[1h:1m])',
  );
  assert.match(
    quantiles.expand("svc:ratio offset 10m"),
    /^last_over_time\(\(label_replace\(.*\)\)\[5m:1m\] offset 10m\)$/,
  );
  const nested = quantiles.expand("svc:ratio_of_ratio > 1");
  assert.deepEqual(vectorSelectors(nested), ["errors_total", "requests_total"]);
  assert.equal(promqlError(nested), undefined);
  assert.equal(quantiles.expand("up == 0"), "up == 0", "series no rule writes are read as they are");
});

const grid = { startMs: 0, endMs: 9 * 60_000, stepMs: 60_000 };
const at = (...minutes: number[]) => ({ labels: {}, times: minutes.map((m) => m * 60_000) });

test("for counts consecutive evaluations: a gap restarts it, and firing starts once for has passed since the first", () => {
  // Returned at minutes 1-2, then 4-9; for 2m: 1-2 never fires; 4 pending, 6 firing (6 - 4 >= 2).
  const firing = firingAt(at(1, 2, 4, 5, 6, 7, 8, 9), grid, 120_000);
  assert.deepEqual([...firing], [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
  const episodes = episodesOf(firing, grid, 0);
  assert.deepEqual(episodes, [{ start: 6 * 60_000, end: null }]);
  assert.equal(firingSeconds(episodes, 9 * 60_000), 180);
  assert.deepEqual(episodesOf(firingAt(at(1, 2, 3), grid, 0), grid, 0), [{ start: 60_000, end: 4 * 60_000 }]);
});

test("Go escapes in a selector's string are read as Prometheus reads them, not as JSON", () => {
  assert.equal(quantiles.expand('svc:p{quantile="\\x30.95"}'), quantiles.expand('svc:p{quantile="0.95"}'));
  assert.equal(quantiles.expand("svc:p{quantile='0.5'}"), quantiles.expand('svc:p{quantile="0.5"}'));
});

test("a recording rule right after a bare group_left is expanded behind an empty label list, so it still parses", () => {
  const rules = new RecordingRules([group([rec("budget:usd", "vector(100)", { source: "openai" })])]);
  const out = rules.expand("cost / on (source) group_left budget:usd");
  assert.equal(out, 'cost / on (source) group_left () (label_replace(vector(100), "source", "openai", "", ""))');
  assert.equal(promqlError(out), undefined);
});
