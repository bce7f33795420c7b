/**
 * Catalog texts that reach Go templates: Prometheus expands every alert annotation, and
 * Alertmanager / Grafana expand notifier fields such as a Slack `channel`. A stray `{{` makes
 * the rule file fail to load or, worse, a notification fail to render at the moment it is
 * sent. Plain texts are refused or escaped; texts meant as templates are checked for the
 * structure Go's text/template requires.
 */

/** Undefined when `text` holds no template action; plain fields (a Slack channel) are refused otherwise. */
export function plainTextError(text: string): string | undefined {
  return text.includes("{{")
    ? `${JSON.stringify(text)} contains "{{", which Alertmanager and Prometheus read as a template action; remove it`
    : undefined;
}

/** `text` with every `{{` and `}}` written as a template action printing it, so a Go template shows it literally. */
export function escapeTemplateText(text: string): string {
  return text.replace(/\{\{|\}\}/g, (m) => `{{ "${m}" }}`);
}

const OPENERS = new Set(["if", "range", "with", "define", "block"]);

/**
 * Undefined when the `{{ … }}` actions of a template text are well formed — every action
 * closed, not empty, quotes balanced, and `if`/`range`/`with` matched by `end` — else why not.
 * A structural check only: functions and fields are checked by promtool in `verify`.
 */
export function templateError(text: string): string | undefined {
  const open: string[] = [];
  let i = 0;
  while ((i = text.indexOf("{{", i)) >= 0) {
    const close = actionEnd(text, i + 2);
    if (close < 0) return `the template action at character ${i + 1} is not closed with }}`;
    const at = i + 1;
    const body = text
      .slice(i + 2, close)
      .replace(/^-\s/, "")
      .replace(/\s-$/, "")
      .trim();
    i = close + 2;
    if (body.startsWith("/*")) continue;
    if (body === "") return `empty template action {{}} at character ${at}`;
    const word = /^[a-z]+/.exec(body)?.[0] ?? "";
    if (OPENERS.has(word)) open.push(word);
    else if (word === "else" && open.length === 0) return "{{ else }} outside {{ if }}, {{ range }} or {{ with }}";
    else if (word === "end" && open.pop() === undefined)
      return "{{ end }} without a matching {{ if }}, {{ range }} or {{ with }}";
  }
  if (open.length) return `{{ ${open[open.length - 1]} }} is never closed with {{ end }}`;
  return undefined;
}

/** Index of the `}}` closing an action body starting at `from`, skipping quoted strings; -1 when none. */
function actionEnd(text: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    const c = text[j];
    if (c === '"' || c === "`" || c === "'") {
      const end = closingQuote(text, j);
      if (end < 0) return -1;
      j = end;
    } else if (c === "}" && text[j + 1] === "}") return j;
    else if (c === "{" && text[j + 1] === "{") return -1;
  }
  return -1;
}

function closingQuote(text: string, at: number): number {
  const q = text[at];
  for (let j = at + 1; j < text.length; j++) {
    if (q !== "`" && text[j] === "\\") j++;
    else if (text[j] === q) return j;
    else if (text[j] === "\n" && q !== "`") return -1;
  }
  return -1;
}
