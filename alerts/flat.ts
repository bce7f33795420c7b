/**
 * `text` as one flat string. In V8 a string built by `+` or a template literal with parts is a
 * rope (a cons-string node per part), and every young-generation garbage collection copies it
 * node by node for as long as it lives. Reading one character flattens it in place, and the
 * next collection drops the rope. For texts kept through a whole render (rule ids, expressions,
 * annotations, rendered files) that is one copy now instead of many small objects copied at
 * every collection.
 */
export function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}
