/**
 * Property: for catalogs generated from the schema (valid and hostile values for every
 * field), `render` either exits 2 naming a field for every problem, or exits 0 and its
 * output passes the real tools — promtool check config (rule files included), amtool
 * check-config and blackbox --config.check. Tool runs are batched after generation.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { stringify } from "yaml";
import { renderArtifacts } from "../../artifacts";
import { validateCatalog } from "../../catalog/validate";
import { referencedSecrets } from "../../local/work-dir";
import { findBinary, runTool } from "../../verify/tools";
import { runCli } from "../helpers/cli-in-process";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);

const pick = <T>(...values: T[]) => fc.constantFrom(...values);
/** Mostly valid values, now and then a hostile one, so that a good share of catalogs renders. */
const mostly = <T>(valid: T[], hostile: T[]) =>
  fc.oneof({ arbitrary: fc.constantFrom(...valid), weight: 40 }, { arbitrary: fc.constantFrom(...hostile), weight: 1 });
const name = mostly(["api", "web", "db", "job1", "checkout"], ["web-health", "constructor", "API", "a b", "budget"]);
const durationValue = mostly(["1s", "30s", "1m", "5m", "1h", "1.5s"], ["0s", "2h", "30d", "1000000y", "5M", "-1m"]);
const percentValue = mostly(["0.1%", "5%", "80%", "100%"], ["0%", "150%", "5"]);
const severityValue = mostly(["P0", "P1", "P2", "P3", "SEV1", "critical", "low"], ["constructor", "P9"]);
const regexValue = mostly(
  ["5..", "(?i)error", "(.*.*.*)*\\x00", "\\d+", "[[:alpha:]]+", "ok|healthy"],
  ["(?<=a)b", "a(", "{{"],
);
const matcher = fc
  .tuple(mostly(["job", "service_name", "code"], ["__name__", "1x"]), pick("=", "!=", "=~", "!~"), regexValue)
  .map(([l, op, v]) => `${l}${op}${JSON.stringify(v)}`);
const matcherList = fc.oneof(
  { arbitrary: fc.array(matcher, { minLength: 1, maxLength: 2 }).map((m) => m.join(", ")), weight: 30 },
  { arbitrary: pick('a="b"} or vector(1) or up{x="y"', "", "up", 'job="a" env="b"'), weight: 1 },
);
const url = mostly(
  ["https://shop.example/health", "http://localhost:8080/metrics", "https://shop.example/api/health?full=1"],
  [
    "https://u:p@shop.example/h",
    "ftp://shop.example/h",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "https://shop.example/{{x}}",
    "not a url",
  ],
);
const secretRef = mostly<unknown>([{ secret: "pdKey" }, { secret: "slackUrl" }], [{ secret: "../x" }, "plain-secret"]);

const health = fc.record(
  {
    url,
    every: durationValue,
    timeout: durationValue,
    expect_status: fc.array(mostly([200, 204, 503], [600, 200.5]), { minLength: 1, maxLength: 2 }),
    expect_body: regexValue,
    method: mostly(["GET", "POST", "HEAD"], ["PUT"]),
    severity: severityValue,
    for: durationValue,
    tls_expiry: durationValue,
    probes: fc.array(mostly(["Frankfurt", "NorthVirginia", "Tokyo"], ["Atlantis", "constructor"]), {
      minLength: 1,
      maxLength: 2,
    }),
    auth: mostly<unknown>(
      [{ bearer: { secret: "tok" } }, { username: "u", password: { secret: "pw" } }],
      [{ username: "u" }, { bearer: "plain" }],
    ),
  },
  { requiredKeys: ["url"] },
);
const objective = mostly([99.9, 95, 99.5], [50, 100, 0, -1, Number.POSITIVE_INFINITY, Number.NaN]);
const sloCommon = {
  objective,
  window: mostly(["7d", "28d", "30d"], ["1h", "2y"]),
  page: severityValue,
  ticket: severityValue,
};
const slo = fc.oneof(
  fc.record(
    { name: pick("availability", "a"), sli: pick("availability"), ...sloCommon },
    { requiredKeys: ["name", "sli", "objective"] },
  ),
  fc.record(
    {
      name: pick("fast", "b"),
      sli: pick("latency"),
      threshold: mostly(["300ms", "1s"], ["0ms", "1000000y"]),
      ...sloCommon,
    },
    { requiredKeys: ["name", "sli", "objective", "threshold"] },
  ),
);
const thresholdSet = (value: fc.Arbitrary<unknown>) =>
  fc.record({ P1: value, P2: value, for: durationValue }, { requiredKeys: ["P1"] });
const service = fc.record(
  {
    name,
    kind: mostly(["frontend", "api", "edge-function", "database", "job", "llm", "external-api"], ["mainframe"]),
    team: mostly(["growth", "ops"], ["Bad_Team"]),
    metrics: fc.record(
      {
        selector: matcherList,
        errors: matcherList,
        latency_selector: matcherList,
        scrape: fc.record({ url, every: durationValue, bearer: secretRef }, { requiredKeys: ["url"] }),
      },
      { requiredKeys: [] },
    ),
    health,
    slos: fc.uniqueArray(slo, { selector: (o) => o.name, maxLength: 2 }),
    thresholds: fc.record(
      {
        error_rate: thresholdSet(percentValue),
        latency_p95: thresholdSet(mostly(["500ms", "2s", "5s"], ["0ms", "5%"])),
      },
      { requiredKeys: [] },
    ),
    heartbeat: fc.oneof(durationValue, fc.record({ every: durationValue, severity: severityValue })),
  },
  { requiredKeys: ["name", "kind"] },
);
const contact = fc.oneof(
  fc.record({ type: pick("pagerduty"), integration_key: secretRef }),
  fc.record(
    { type: pick("slack"), url: secretRef, channel: mostly(["#ops", "@oncall"], ["{{ end", "#alerts {{ .x }}"]) },
    { requiredKeys: ["type", "url"] },
  ),
  fc.record(
    {
      type: pick("email"),
      to: mostly([["ops@shop.example"]], [["not-an-email"]]),
      smarthost: mostly(["smtp.shop.example:587", "[::1]:25"], ["smtp.shop.example"]),
    },
    { requiredKeys: ["type", "to"] },
  ),
  // A webhook URL from a secret renders as `url_file`, which Debian's Alertmanager 0.25 does not know yet (0.27+ does).
  fc.record({ type: pick("webhook"), url }),
);
const contactName = pick("pd", "chat", "mail", "hook");
const alerting = fc.record(
  {
    ack_timeout: mostly(["5m", "30s", "1h"], ["0s", "1.5s"]),
    routes: fc.dictionary(
      severityValue,
      fc.array(mostly(["pd", "chat", "mail", "hook"], ["toString"]), { maxLength: 3 }),
      { maxKeys: 4 },
    ),
    contacts: fc.dictionary(contactName, contact, { minKeys: 0, maxKeys: 4 }),
    group_by: fc.array(mostly(["alertname", "service", "team", "..."], ["foo-bar", "1x"]), {
      minLength: 1,
      maxLength: 3,
    }),
    mute_timings: fc.array(
      fc.record({
        name: pick("nights", "weekend"),
        weekdays: fc.array(
          mostly(
            ["monday", "saturday", "sunday:tuesday", "Monday:Friday"],
            ["funday", "friday:monday", "saturday:sunday"],
          ),
          { maxLength: 2 },
        ),
        times: pick([{ start: "22:00", end: "07:00" }], [{ start: "09:00", end: "17:00" }]),
        severities: fc.array(severityValue, { minLength: 1, maxLength: 2 }),
      }),
      { maxLength: 1 },
    ),
  },
  { requiredKeys: [] },
);
const catalogArb = fc.record(
  {
    system: mostly(["shop", "acme-2"], ["Shop", "../x"]),
    grafana: fc.record({ url }),
    runbooks: fc.record({ base_url: url }),
    synthetics: fc.record({
      probes: fc.array(mostly(["Frankfurt", "Tokyo", "SaoPaulo"], ["Mars"]), { minLength: 1, maxLength: 2 }),
    }),
    services: fc.uniqueArray(service, { selector: (s) => s.name, maxLength: 3 }),
    external_apis: fc.array(
      fc.record(
        {
          name: pick("hunter", "openai"),
          quota: mostly([500, 10000], [0, -1, Number.POSITIVE_INFINITY]),
          alert_at: percentValue,
          severity: severityValue,
        },
        { requiredKeys: ["name"] },
      ),
      { maxLength: 2 },
    ),
    budget: fc.record(
      { monthly_usd: mostly([270, 1000], [0, Number.NaN]), alert_at: percentValue },
      { requiredKeys: ["monthly_usd"] },
    ),
    rules: fc.array(
      fc.record(
        {
          name: mostly(["Foo", "Bar"], ["foo bar"]),
          expr: mostly(
            ["up == 0", "sum(rate(x[5m])) > 1", "max_over_time(up[5m]) < 1"],
            ["up[5m]", '"x"', "rate(up) > 0", "up =="],
          ),
          severity: severityValue,
          service: mostly(["budget", "monitoring"], ["nobody"]),
          summary: mostly(["{{ $value }}", "plain", "{{ if $labels.x }}x{{ end }}"], ["{{ end", "{{"]),
        },
        { requiredKeys: ["name", "expr", "severity", "service"] },
      ),
      { maxLength: 2 },
    ),
    alerting,
  },
  { requiredKeys: ["system"] },
);

test(
  `generated catalogs: render exits 2 naming a field, or its output passes promtool, amtool and blackbox (${RUNS} runs)`,
  { timeout: 300_000 },
  async () => {
    const bins = { promtool: findBinary("promtool"), amtool: findBinary("amtool"), blackbox: findBinary("blackbox") };
    assert.ok(
      bins.promtool && bins.amtool && bins.blackbox,
      "promtool, amtool and the blackbox exporter must be installed (see README: local tools)",
    );
    const root = mkdtempSync(join(tmpdir(), "hostile-property-"));
    const rendered: Array<{ dir: string; yaml: string }> = [];
    let refused = 0;
    try {
      await fc.assert(
        fc.asyncProperty(catalogArb, async (raw) => {
          const dir = join(root, String(refused + rendered.length));
          mkdirSync(dir, { recursive: true });
          const yaml = stringify(raw);
          writeFileSync(join(dir, "catalog.yaml"), yaml);
          const run = await runCli([
            "render",
            "--catalog",
            join(dir, "catalog.yaml"),
            "--out",
            join(dir, "cli-out"),
            "--custom-rules",
            join(dir, "none"),
          ]);
          if (run.code === 2) {
            if (process.env.PROPERTY_DEBUG) console.log(run.stderr);
            refused++;
            const [header, ...lines] = run.stderr.split("\n").filter((l) => !l.startsWith("warning: "));
            assert.match(header, /: \d+ problems?$/, run.stderr);
            for (const line of lines) assert.match(line, /^ {2}[A-Za-z_"[][^:]*: \S/, `names a field: ${line}`);
            return;
          }
          assert.equal(run.code, 0, run.stderr);
          const secretsDir = join(dir, "secrets");
          const artifacts = renderArtifacts(validateCatalog(raw), { secretsDir });
          mkdirSync(secretsDir, { recursive: true });
          for (const s of referencedSecrets(artifacts, secretsDir)) writeFileSync(join(secretsDir, s), "x\n");
          for (const [path, text] of Object.entries(artifacts)) {
            mkdirSync(dirname(join(dir, "out", path)), { recursive: true });
            writeFileSync(join(dir, "out", path), text);
          }
          rendered.push({ dir: join(dir, "out"), yaml });
        }),
        { numRuns: RUNS, seed: Number(process.env.PROPERTY_SEED ?? 20261125) },
      );
      console.log(
        `property: ${RUNS} runs, ${refused} refused with field errors, ${rendered.length} rendered and checked by the tools`,
      );
      assert.ok(
        rendered.length >= RUNS / 10,
        `too few generated catalogs render (${rendered.length}); the generator needs more valid values`,
      );
      const check = (bin: string, args: string[], what: string) => {
        const r = runTool(bin, args, root);
        assert.ok(r.ok, `${what} failed:\n${r.output.slice(0, 4000)}`);
      };
      check(
        bins.promtool,
        ["check", "config", ...rendered.map((r) => join(r.dir, "prometheus", "prometheus.yml"))],
        "promtool check config",
      );
      check(
        bins.amtool,
        ["check-config", ...rendered.map((r) => join(r.dir, "alertmanager", "alertmanager.yml"))],
        "amtool check-config",
      );
      for (const r of rendered)
        check(
          bins.blackbox,
          ["--config.check", "--config.file", join(r.dir, "blackbox", "blackbox.yml")],
          `blackbox --config.check of\n${r.yaml}`,
        );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
);
