/**
 * Sloth's Prometheus rules for an event-based SLO, written as Sloth's generator writes them, so the
 * benchmark can put our rules beside Sloth's for the same SLOs in one Prometheus.
 *
 * Source: slok/sloth at 0e395d81513ff701f5d27b7aa47d794cb764fd5e, default 30-day windows
 * (page 14.4x over 5m/1h or 6x over 30m/6h, ticket 3x over 2h/1d or 1x over 6h/3d):
 * - `internal/plugin/slo/core/sli_rules_v1/plugin.go`: one `slo:sli_error:ratio_rate<w>` per window from
 *   the raw queries (`(<errors>)\n/\n(<total>)\n`), the 30d one from the 5m one (`sum_over_time /
 *   ignoring (sloth_window) count_over_time`, the "optimized" default);
 * - `internal/plugin/slo/core/metadata_rules_v1/plugin.go`: objective, error budget, period days,
 *   current and period burn rate, remaining budget, `sloth_slo_info`;
 * - `internal/plugin/slo/core/alert_rules_v1/plugin.go`: the page and ticket alerts (`mwmbAlertTpl`);
 * - `pkg/common/conventions/slo.go`: metric and label names.
 * `test/bench/sloth.test.ts` checks the output against Sloth's own `examples/_gen/getting-started.yml`.
 */

export interface SlothSlo {
  service: string;
  name: string;
  /** Percent, e.g. 99.9. */
  objective: number;
  /** PromQL with `{{.window}}` where the range goes. */
  errorQuery: string;
  totalQuery: string;
  /** The spec's `labels` (service-level) merged with the SLO's own. */
  labels: Record<string, string>;
  alert: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    page?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    ticket?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  };
}

export interface SlothRule {
  record?: string;
  alert?: string;
  expr: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface SlothGroup {
  name: string;
  rules: SlothRule[];
}

/** Go's `%g`/`%v` of a float64: shortest digits, exponent form below 1e-4 (`1e-05`). */
function goFloat(v: number): string {
  if (v !== 0 && Math.abs(v) < 1e-4) {
    const [mantissa, exponent] = v.toExponential().split("e");
    const e = Number(exponent);
    return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  return String(v);
}

/** Go maps marshal with sorted keys. */
const sorted = (labels: Record<string, string>) =>
  Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Prometheus' `model.LabelSet.String()`: `{a="x", b="y"}`, sorted. */
const filter = (labels: Record<string, string>) =>
  `{${Object.entries(sorted(labels))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(", ")}}`;

const WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"] as const;
const PERIOD = "30d";
const PAGE = { quick: ["5m", "1h", 14.4], slow: ["30m", "6h", 6] } as const;
const TICKET = { quick: ["2h", "1d", 3], slow: ["6h", "3d", 1] } as const;

/** The three rule groups Sloth writes for one SLO: SLI recordings, metadata recordings, alerts. */
export function slothRuleGroups(slo: SlothSlo, extraLabels: Record<string, string> = {}): SlothGroup[] {
  const id = `${slo.service}-${slo.name}`;
  const idLabels = { sloth_id: id, sloth_service: slo.service, sloth_slo: slo.name };
  const sloFilter = filter(idLabels);
  const labels = sorted({ ...idLabels, ...slo.labels, ...extraLabels });
  const sli = (window: string): SlothRule => ({
    record: `slo:sli_error:ratio_rate${window}`,
    expr:
      window === PERIOD
        ? `sum_over_time(slo:sli_error:ratio_rate5m${sloFilter}[${window}])\n/ ignoring (sloth_window)\ncount_over_time(slo:sli_error:ratio_rate5m${sloFilter}[${window}])\n`
        : `(${slo.errorQuery.replaceAll("{{.window}}", window)})\n/\n(${slo.totalQuery.replaceAll("{{.window}}", window)})\n`,
    labels: sorted({ ...labels, sloth_window: window }),
  });
  const ratio = slo.objective / 100;
  const budget = (100 - slo.objective) / 100;
  const burnRate = (metric: string) =>
    `${metric}${sloFilter}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio${sloFilter}\n`;
  const alert = (
    severity: "page" | "ticket",
    windows: typeof PAGE | typeof TICKET,
    meta: { labels?: Record<string, string>; annotations?: Record<string, string> } = {},
  ): SlothRule => {
    const term = (window: string, factor: number) =>
      `max(slo:sli_error:ratio_rate${window}${sloFilter} > (${goFloat(factor)} * ${goFloat(budget)})) without (sloth_window)`;
    const pair = ([short, long, factor]: readonly [string, string, number]) =>
      `(\n    ${term(short, factor)}\n    and\n    ${term(long, factor)}\n)`;
    return {
      alert: slo.alert.name,
      expr: `${pair(windows.quick)}\nor\n${pair(windows.slow)}\n`,
      labels: sorted({ sloth_severity: severity, ...slo.alert.labels, ...meta.labels }),
      annotations: sorted({
        title: `(${severity}) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.`,
        summary: "{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected.",
        ...slo.alert.annotations,
        ...meta.annotations,
      }),
    };
  };
  return [
    { name: `sloth-slo-sli-recordings-${id}`, rules: [...WINDOWS, PERIOD].map(sli) },
    {
      name: `sloth-slo-meta-recordings-${id}`,
      rules: [
        { record: "slo:objective:ratio", expr: `vector(${goFloat(ratio)})`, labels },
        { record: "slo:error_budget:ratio", expr: `vector(1-${goFloat(ratio)})`, labels },
        { record: "slo:time_period:days", expr: "vector(30)", labels },
        { record: "slo:current_burn_rate:ratio", expr: burnRate("slo:sli_error:ratio_rate5m"), labels },
        { record: "slo:period_burn_rate:ratio", expr: burnRate(`slo:sli_error:ratio_rate${PERIOD}`), labels },
        {
          record: "slo:period_error_budget_remaining:ratio",
          expr: `1 - slo:period_burn_rate:ratio${sloFilter}`,
          labels,
        },
        {
          record: "sloth_slo_info",
          expr: "vector(1)",
          labels: sorted({
            ...labels,
            sloth_mode: "cli-gen-prom",
            sloth_objective: goFloat(slo.objective),
            sloth_spec: "prometheus/v1",
            sloth_version: "dev",
          }),
        },
      ],
    },
    {
      name: `sloth-slo-alerts-${id}`,
      rules: [alert("page", PAGE, slo.alert.page), alert("ticket", TICKET, slo.alert.ticket)],
    },
  ];
}
