/**
 * Prometheus annotation and label templates as Grafana evaluates them, per Grafana's
 * pkg/services/ngalert/state/template/template.go (`Expand`, `NewData`): the template is run
 * with `$labels := .Labels`, `$values := .Values`, `$value := .Value`, where `.Value` is the
 * rule's evaluation string (`[ var='A' labels={…} value=0.93 ], …`), not the sample value, and
 * `.Values` maps each query or expression refId to `{Labels, Value float64}`; `query()` is a
 * no-op there ("`query()` is not supported in Grafana": it returns no series) and neither
 * `$externalLabels` nor `$externalURL` is defined.
 *
 * So `{{ $value | humanize }}` and `{{ printf "%.2f" $value }}`, which read the number in
 * Prometheus, print `%!f(string=…)` or fail in Grafana. They are translated to the value of the
 * query step (`$values.A.Value`, the number Prometheus' `$value` holds); what has no Grafana
 * equivalent is named so it can be warned about.
 */

export interface GrafanaTemplate {
  /** The text Grafana should evaluate. */
  text: string;
  /** Whether `$value` / `.Value` were rewritten. */
  translated: boolean;
  /** Constructs Grafana cannot evaluate as Prometheus does, e.g. `query`. */
  unsupported: string[];
}

const ACTION = /\{\{(.*?)\}\}/gs;
/** String literals and comments inside an action, left untouched. */
const LITERAL = /("(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)*'|\/\*.*?\*\/)/s;
const OPENS_SCOPE = /^(range|with|define|block)\b/;
const OPENS_BLOCK = /^(if|range|with|define|block)\b/;
const UNSUPPORTED: Array<[RegExp, string]> = [
  [/(^|[\s(|])query\s/, "query (Grafana returns no series)"],
  [/\$externalLabels\b/, "$externalLabels (undefined in Grafana)"],
  [/\$externalURL\b/, "$externalURL (undefined in Grafana)"],
];

/** `text` with `$value` (and `.Value` where the dot is the alert) reading the value of refId `valueRef`. */
export function grafanaTemplate(text: string, valueRef: string): GrafanaTemplate {
  if (!text.includes("{{")) return { text, translated: false, unsupported: [] };
  const unsupported = new Set<string>();
  const blocks: boolean[] = [];
  let translated = false;
  const out = text.replace(ACTION, (_action: string, body: string) => {
    const keyword = body.replace(/^-?\s*/, "");
    const dotIsAlert = !blocks.some((scoped) => scoped);
    if (/^end\b/.test(keyword)) blocks.pop();
    else if (OPENS_BLOCK.test(keyword)) blocks.push(OPENS_SCOPE.test(keyword));
    const parts = body.split(LITERAL);
    for (let i = 0; i < parts.length; i += 2) {
      for (const [re, what] of UNSUPPORTED) if (re.test(parts[i])) unsupported.add(what);
      const before = parts[i];
      parts[i] = parts[i].replace(/\$value\b(?!s)/g, `$values.${valueRef}.Value`);
      if (dotIsAlert) parts[i] = parts[i].replace(/(^|[\s(|,])\.Value\b/g, `$1$values.${valueRef}.Value`);
      if (parts[i] !== before) translated = true;
    }
    return `{{${parts.join("")}}}`;
  });
  return { text: out, translated, unsupported: [...unsupported] };
}
