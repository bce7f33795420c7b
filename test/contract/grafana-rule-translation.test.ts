/**
 * The Grafana-rule oracle itself: what it translates (hand-written PromQL per Grafana semantic),
 * what it refuses (naming the rule), and that it catches a wrong planned rule — a plan read back
 * from `plan --json` of Pulumi.prod.yaml with one rule broken as a builder bug would break it,
 * run on that rule's twin test with the real promtool.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadCatalog } from "../../catalog/load";
import { ruleGroupsOf } from "../../artifacts";
import { customRulesDirFor, readCustomRules } from "../../alerts/custom-files";
import { cli } from "../helpers/cli-in-process";
import { ROOT } from "../helpers/catalogs";
import { NotTranslated, translateRule, type PlannedRule } from "../helpers/grafana-rule-promql";
import { generatedTestsTwice, plannedRules, type PlannedGroup } from "../helpers/grafana-twin";
import { recordsRead, type Recording } from "../../alerts/records-read";

const DS = "prom";
const query = (expr: string, refId = "A") => ({
  refId,
  datasourceUid: DS,
  relativeTimeRange: { from: 600, to: 0 },
  model: JSON.stringify({ expr, instant: true, range: false, refId }),
});
const step = (refId: string, model: Record<string, unknown>) => ({
  refId,
  datasourceUid: "__expr__",
  relativeTimeRange: { from: 0, to: 0 },
  model: JSON.stringify({ refId, ...model }),
});
const threshold = (type: string, params: number[], extra: Record<string, unknown> = {}) =>
  step("C", { type: "threshold", expression: "B", conditions: [{ evaluator: { type, params }, ...extra }] });
const rule = (over: Partial<PlannedRule> = {}): PlannedRule => ({
  name: "HighErrors (api/errors)",
  condition: "C",
  for: "5m",
  noDataState: "OK",
  execErrState: "KeepLast",
  missingSeriesEvalsToResolve: 1,
  labels: { alert: "HighErrors", service: "api" },
  datas: [query("errors > 0.05"), step("B", { type: "math", expression: "$A > 0" }), threshold("gt", [0])],
  ...over,
});
const translate = (r: PlannedRule) => translateRule(r, { datasourceUid: DS });
const refusal = (r: PlannedRule) => {
  try {
    translate(r);
  } catch (e) {
    if (e instanceof NotTranslated) return e.message;
    throw e;
  }
  return assert.fail("translated");
};

test("an alert becomes a recording rule of its query and an alert firing where the condition is not 0, with its for and labels", () => {
  assert.deepEqual(translate(rule()), [
    { record: "grafana_twin:HighErrors_api_errors_:A", expr: "errors > 0.05" },
    {
      alert: "HighErrors",
      expr: "((((grafana_twin:HighErrors_api_errors_:A) > bool (0)) + 0 / ((grafana_twin:HighErrors_api_errors_:A) == bool (grafana_twin:HighErrors_api_errors_:A))) > bool 0) != 0",
      for: "5m",
      labels: { alert: "HighErrors", service: "api" },
    },
  ]);
});

test("Grafana's Prometheus-conversion math fires for every series, NaN and Inf included", () => {
  const [, alert] = translate(
    rule({
      uid: "u",
      datas: [
        query("up"),
        step("B", { type: "math", expression: "is_number($A) || is_nan($A) || is_inf($A)" }),
        threshold("gt", [0]),
      ],
    }),
  );
  const a = "grafana_twin:u:A";
  assert.equal(
    alert.expr,
    `((((((((((${a}) == bool (${a})) * (abs(${a}) != bool +Inf)) != bool 0) + (((${a}) != bool (${a})) != bool 0)) > bool 0) != bool 0) + ((abs(${a}) == bool +Inf) != bool 0)) > bool 0) > bool 0) != 0`,
  );
});

test("threshold ranges are exclusive, their _included forms inclusive, as pkg/expr/threshold.go", () => {
  const of = (type: string) =>
    translate(
      rule({
        uid: "u",
        datas: [
          query("x"),
          step("C", { type: "threshold", expression: "A", conditions: [{ evaluator: { type, params: [1, 5] } }] }),
        ],
      }),
    )[1].expr;
  assert.equal(of("within_range"), "(((grafana_twin:u:A) > bool 1) * ((grafana_twin:u:A) < bool 5)) != 0");
  assert.equal(
    of("outside_range_included"),
    "((((grafana_twin:u:A) <= bool 1) + ((grafana_twin:u:A) >= bool 5)) > bool 0) != 0",
  );
});

test("a reduce of an instant query passes its numbers through, whatever the reducer (pkg/expr/commands.go)", () => {
  const r = rule({
    uid: "u",
    datas: [query("x"), step("B", { type: "reduce", expression: "A", reducer: "max" }), threshold("gt", [3])],
  });
  assert.equal(translate(r)[1].expr, "((grafana_twin:u:A) > bool 3) != 0");
});

test("KeepLast holds the rule's own pending and firing alerts while its query returns nothing", () => {
  const [, alert] = translateRule(rule({ uid: "u", noDataState: "KeepLast" }), {
    datasourceUid: DS,
    siblingLabels: ["alert", "escalation", "service"],
  });
  assert.match(
    alert.expr,
    / or \(label_replace\(label_replace\(ALERTS\{alertname="HighErrors", alertstate=~"pending\|firing", service="api", escalation=""\}, "alertname", "", "", ""\), "alertstate", "", "", ""\) unless on \(\) \(grafana_twin:u:A\)\)$/,
  );
});

test("what the oracle does not understand is refused naming the rule, never skipped", () => {
  const name = /^HighErrors \(api\/errors\): /;
  const cases: Array<[Partial<PlannedRule>, RegExp]> = [
    [
      { datas: [query("x"), step("C", { type: "classic_conditions", conditions: [] })] },
      /expression type "classic_conditions"/,
    ],
    [{ missingSeriesEvalsToResolve: undefined }, /missingSeriesEvalsToResolve is unset/],
    [{ noDataState: "NoData" }, /noDataState NoData is not translated/],
    [
      {
        datas: [
          query("x"),
          step("B", { type: "math", expression: "$A > 0" }),
          threshold("gt", [0], { unloadEvaluator: { type: "lt", params: [0] } }),
        ],
      },
      /recovery threshold/,
    ],
    [
      {
        datas: [
          query("x"),
          step("B", { type: "reduce", expression: "A", reducer: "last", settings: { mode: "dropNN" } }),
          threshold("gt", [0]),
        ],
      },
      /mode dropNN/,
    ],
    [
      {
        datas: [query("x"), query("y", "D"), step("B", { type: "math", expression: "$A + $D" }), threshold("gt", [0])],
      },
      /several queries|between \$A and \$D/,
    ],
    [{ datas: [query("x"), step("B", { type: "math", expression: "-$A" }), threshold("gt", [0])] }, /unary operators/],
    [
      {
        datas: [
          { ...query("x"), datasourceUid: "elsewhere" },
          step("B", { type: "math", expression: "$A > 0" }),
          threshold("gt", [0]),
        ],
      },
      /queries data source elsewhere/,
    ],
    [
      {
        datas: [
          { ...query("x"), model: JSON.stringify({ expr: "x", range: true }) },
          step("B", { type: "math", expression: "$A > 0" }),
          threshold("gt", [0]),
        ],
      },
      /not an instant query/,
    ],
  ];
  for (const [over, why] of cases) {
    const message = refusal(rule(over));
    assert.match(message, name);
    assert.match(message, why);
  }
});

/** Pulumi.prod.yaml as planned and modelled, once for the planted-defect tests below. */
const prod = (async () => {
  const plan = await cli(["plan", "--catalog", "Pulumi.prod.yaml", "--stack", "prod", "--json"], { cwd: ROOT });
  assert.equal(plan.status, 0, plan.stderr);
  const file = join(ROOT, "Pulumi.prod.yaml");
  const { catalog } = loadCatalog(file);
  const model = ruleGroupsOf(catalog, {
    customRules: readCustomRules(customRulesDirFor(file), catalog.system),
    profile: "prod",
  });
  return { ...plannedRules(plan.stdout), model };
})();

/** The planned groups with rule `title` changed by `change` (a data step's model by refId, or the rule). */
function broken(
  groups: PlannedGroup[],
  title: string,
  change: (r: PlannedRule, model: (refId: string, edit: (m: Record<string, unknown>) => void) => void) => void,
) {
  const copy = JSON.parse(JSON.stringify(groups)) as PlannedGroup[];
  const r = copy.flatMap((g) => g.rules).find((x) => x.name === title);
  assert.ok(r, `no planned rule ${title}`);
  change(r, (refId, edit) => {
    const d = r.datas.find((x) => x.refId === refId)!;
    const m = JSON.parse(d.model) as Record<string, unknown>;
    edit(m);
    d.model = JSON.stringify(m);
  });
  return copy;
}

const PLANTED: Array<[string, string, Parameters<typeof broken>[2]]> = [
  [
    "a threshold raised from 0 to 1",
    "ErrorRateHigh (web/error_rate/P1)",
    (_r, model) =>
      model("C", (m) => ((m.conditions as Array<{ evaluator: { params: number[] } }>)[0].evaluator.params = [1])),
  ],
  [
    "a threshold evaluator turned from gt to lt",
    "DbConnectionsHigh (db/connections/P1)",
    (_r, model) =>
      model("C", (m) => ((m.conditions as Array<{ evaluator: { type: string } }>)[0].evaluator.type = "lt")),
  ],
  ["a dropped for", "LatencyP95High (web/latency_p95/P2)", (r) => void (r.for = "0s")],
  [
    "a value-form math step reading >= instead of >",
    "ProbeDown (web/probe)",
    (_r, model) => model("B", (m) => (m.expression = "$A >= 0")),
  ],
];

/**
 * The sound plan and the plan with every defect above planted at once, each run on the planted
 * rules' twin tests: one promtool run per side for all of them. Each twin test loads only its
 * own alert and the recording rules it reads, so one rule's defect cannot show in another's test.
 */
let plantedRuns: ReturnType<typeof runPlanted> | undefined;
async function runPlanted() {
  const { groups, datasourceUid, model } = await prod;
  const titles = new Set(PLANTED.map(([, title]) => title));
  const only = (r: PlannedRule) => titles.has(r.name);
  const bad = PLANTED.reduce((plan, [, title, change]) => broken(plan, title, change), groups);
  const sound = await generatedTestsTwice(model, groups, datasourceUid, only);
  return { sound, bad: await generatedTestsTwice(model, bad, datasourceUid, only) };
}

for (const [defect, title] of PLANTED) {
  test(`${defect} in a planned Grafana rule makes the twin comparison fail naming ${title}`, async () => {
    const { sound, bad } = await (plantedRuns ??= runPlanted());
    assert.deepEqual([sound.compared, sound.problems], [PLANTED.length, []], "the rules as planned match their twins");
    assert.ok(
      bad.problems.some((p) => p.startsWith(`${title} (`)),
      `${defect} went unnoticed:\n${bad.problems.join("\n")}`,
    );
    for (const p of bad.problems)
      assert.ok(
        PLANTED.some(([, planted]) => p.startsWith(`${planted} (`)),
        p,
      );
  });
}

test("a twin loads the recording rules a query can select, and those they read: one whose static label every selector of its name contradicts is left out", () => {
  const rate = (slo: string) => ({ record: "slo:ratio", expr: `errors:rate{slo="${slo}"}`, labels: { slo } });
  const pool: Recording[] = [
    rate("availability"),
    rate("latency"),
    { record: "errors:rate", expr: "sum(rate(errors_total[5m]))", labels: { slo: "availability" } },
    { record: "errors:rate", expr: "sum(rate(slow_total[5m]))", labels: { slo: "latency" } },
    { record: "unread", expr: "up" },
  ];
  const read = (expr: string) => recordsRead(pool, [expr]).map((r) => `${r.record} ${r.labels?.slo ?? ""}`);
  assert.deepEqual(read('slo:ratio{slo="latency"} > 1'), ["slo:ratio latency", "errors:rate latency"]);
  assert.deepEqual(read('slo:ratio{slo=~"lat.*"} unless slo:ratio{slo!="availability"}'), [
    "slo:ratio latency",
    "errors:rate latency",
  ]);
  assert.deepEqual(read("slo:ratio > 1"), [
    "slo:ratio availability",
    "slo:ratio latency",
    "errors:rate availability",
    "errors:rate latency",
  ]);
  assert.deepEqual(read('slo:ratio{slo!~"a.*|l.*"}'), []);
});

test("a recording rule named other than by a selector with its metric name (a string, __name__) is loaded whatever its labels", () => {
  const pool = [{ record: "x:y", expr: "up", labels: { slo: "availability" } }];
  const read = (expr: string) => recordsRead(pool, [expr]).length;
  assert.equal(read('x:y{slo="latency"} or label_replace(vector(1), "m", "x:y", "", "")'), 1);
  assert.equal(read('x:y{slo="latency"} or {__name__="x:y"}'), 1);
  assert.equal(read('x:y{slo="latency"}'), 0);
});
