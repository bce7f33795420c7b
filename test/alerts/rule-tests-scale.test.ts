import { test } from "node:test";
import assert from "node:assert/strict";
import { ruleGroupsOf } from "../../artifacts";
import { renderRuleTests } from "../../alerts/rule-tests";
import { narrowedTo } from "../../alerts/scope";
import type { RecordingRule } from "../../alerts/model";
import { validateCatalog } from "../../catalog/validate";
import { generateCatalog } from "../../bench/catalog";
import { progressReporter } from "../../cli/verify";

const bytesPerTest = (services: number) => {
  const groups = ruleGroupsOf(validateCatalog(generateCatalog(services)), { customRules: {}, profile: "prod" });
  const { files, tests } = renderRuleTests(groups);
  return Object.values(files).reduce((sum, text) => sum + text.length, 0) / tests.length;
};

test("a generated rule test is as large for 300 services as for 30 (verify stays linear)", () => {
  const small = bytesPerTest(30);
  const large = bytesPerTest(300);
  assert.ok(large < small * 1.1, `${Math.round(small)} B per test at 30 services, ${Math.round(large)} B at 300`);
});

test("a shared recording rule is narrowed to the tested service's job, plain and probe jobs alike", () => {
  const shared = (expr: string): RecordingRule => ({
    kind: "record",
    id: "shared/x",
    record: "service:requests:rate5m",
    expr,
    labels: {},
    services: ["api", "web"],
  });
  assert.equal(
    narrowedTo(shared('sum by (service) (rate(x_count{job=~"api|web"}[5m]))'), "web"),
    'sum by (service) (rate(x_count{job=~"web"}[5m]))',
  );
  assert.equal(
    narrowedTo(
      shared('avg(probe_success{job=~"api-health|web-health"}) / count(up{job=~"api-health|web-health"})'),
      "api",
    ),
    'avg(probe_success{job=~"api-health"}) / count(up{job=~"api-health"})',
  );
  assert.equal(narrowedTo(shared('rate(x{job=~"api|web"}[5m])'), "db"), 'rate(x{job=~"api|web"}[5m])');
});

test("verify reports progress on stderr only once it has run 3 seconds", () => {
  const written: string[] = [];
  progressReporter(Date.now(), (line) => written.push(line))("promtool check config");
  progressReporter(Date.now() - 4000, (line) => written.push(line))("promtool test rules 400/5689 alerts");
  assert.deepEqual(written, ["verify: promtool test rules 400/5689 alerts (4s)\n"]);
});
