/**
 * The rule model: what the generators produce and every target renders from
 * (Prometheus rule files, Grafana-managed rule groups, promtool unit tests).
 */
import type { Severity, Signal } from "../catalog/model";
import type { DashboardKey, RunbookKey } from "../conventions";

export interface AlertRule {
  kind: "alert";
  /** Stable identity, e.g. `web/error_rate/P1`; uids derive from it, never from position. */
  id: string;
  /** Prometheus `alert` name (CamelCase), shared by the same alert across services. */
  alert: string;
  expr: string;
  /**
   * The alert's own condition, before the suppression by other alerts of its service that
   * `expr` adds (`suppression.ts`); set only where they differ. Suppression sources and the
   * generated promtool tests (which prove the condition itself) read it.
   */
  ownExpr?: string;
  /**
   * The alerts suppressing this one, in the order `expr` reads them: `expr` is exactly
   * `suppressedExpr(ownExpr, suppressedBy.map((s) => s.held))`. Absent on escalated copies,
   * whose expression wraps the suppressed one.
   */
  suppressedBy?: Array<{ source: AlertRule; held: string }>;
  forMs: number;
  /** How long the alert keeps firing after its condition cleared (Prometheus `keep_firing_for`); absent = 0. */
  keepFiringForMs?: number;
  /** Where a hand-written rule was written (`alerts/custom/x.yml: groups[g].rules[A]`, `rules[A]`), for messages. */
  origin?: string;
  /** At least `service`, `severity`, `signal`, `team`. */
  labels: Record<string, string> & { service: string; severity: Severity; signal: Signal; team: string };
  /** At least `summary`, `description`, `runbook_url`; `dashboard_url` when a dashboard shows it. */
  annotations: Record<string, string>;
  runbook: RunbookKey;
  /** The bound as written in the catalog ("5%", "2s", 80), for summaries and semantic diffs. */
  threshold?: string;
  /** The dashboard (and panel title) where this alert's signal is shown. */
  dashboard?: { key: DashboardKey; panel: string };
  /** What Grafana-managed evaluation does when the query returns nothing. */
  noData: "OK" | "Alerting" | "NoData" | "KeepLast";
  /**
   * Set when missing input must neither resolve nor raise the alert (probe alerts): while no
   * sample of `series` arrived within `windowMs`, the alert keeps its state. Prometheus:
   * `expr` or (this alert firing and `series` absent) — see `prometheusExpr`; Grafana:
   * `valueExpr` (1 while the condition holds, 0 while not, nothing without data) with
   * NoData = KeepLast.
   */
  holdWhileMissing?: { series: string; windowMs: number; valueExpr: string };
  /** Synthetic series proving the rule fires (and stays quiet), built on demand; absent for hand-written rules. */
  test?: () => RuleTest | undefined;
  /**
   * What Grafana-managed evaluation (prod) queries instead, when `expr` reads series only a
   * Prometheus target has (Alertmanager's own metrics): another query and data source.
   */
  grafana?: { expr: string; datasourceUid: string };
  /** How the alert detects its family's incident, for its detection bound, built on demand; absent for hand-written rules. */
  detection?: () => Detection;
}

/**
 * The incident an alert is meant to detect and how its expression reacts to it: what the
 * detection bound (alerts/detection-bounds.ts) adds collection, evaluation, `for` and
 * notification delays to.
 */
export interface Detection {
  /** The incident the bound assumes, e.g. `every probe fails`. */
  incident: string;
  /** How often the series the expression reads arrive; absent when no new sample is needed (a stopped job). */
  collection?: { what: "probe" | "scrape"; everyMs: number; timeoutMs: number };
  /** Time from the incident's first collected sample until the expression crosses; Infinity when it never does. */
  crossMs: number;
  /** Why, e.g. `14.4 × 0.1% of 1h (both windows over)`. */
  crossing: string;
  /** The expression reads recording rules, which may be one evaluation behind. */
  readsRecords: boolean;
}

export interface RecordingRule {
  kind: "record";
  id: string;
  record: string;
  expr: string;
  labels: Record<string, string>;
  /** A shared rule computing for several services (its series get `service` from `job`). */
  services?: string[];
}

export type Rule = AlertRule | RecordingRule;

export interface RuleGroup {
  /** `<system>-<service>`; also the rule file name and the Grafana rule group name. */
  name: string;
  service: string;
  intervalMs: number;
  rules: Rule[];
  /** A group of a hand-written rule file: deployed as published, its alerts never folded (alerts/fold.ts). */
  fromFile?: true;
}

/** A promtool `input_series` entry: series in PromQL notation, values in expanding notation (`0+10x60`). */
export interface InputSeries {
  series: string;
  values: string;
}

export interface RuleTest {
  /** Series under which the alert must be firing at `evalAfterMs`. */
  fire: InputSeries[];
  /** Series under which no alert of this rule exists at `evalAfterMs`; absent for always-firing rules. */
  quiet?: InputSeries[];
  evalAfterMs: number;
  /**
   * Under `fire`, the first evaluation at which the alert fires: when its condition first holds
   * plus the catalog's `for` (plus `after` for an escalated copy). One evaluation earlier it
   * must not be firing. Absent where the onset depends on rate extrapolation (rate limits).
   */
  firesAtMs?: number;
  /**
   * Series sitting exactly on the catalog's bound (5% errors for "5%", 400 calls for 80% of
   * 500), and whether the catalog's words include the bound: "above"/"below" do not (quiet),
   * "reaches"/"at" do (fires). Checked at `evalAfterMs`.
   */
  atBound?: { series: InputSeries[]; fires: boolean };
  /**
   * An escalated copy's `fire` series with the condition clear for `ms` from `fromMs` (after the
   * alert first fired), shorter than the copy's dip tolerance: the copy still fires at `firesAtMs`.
   */
  dip?: { series: InputSeries[]; fromMs: number; ms: number };
  /** Sampling interval of the input series. */
  intervalMs: number;
  /** Labels the firing alert carries besides the rule's own. */
  extraLabels?: Record<string, string>;
  /** Recording rules (by `record`) the alert reads; their rules are loaded with it. */
  records?: string[];
}
