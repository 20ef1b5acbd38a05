/**
 * The message Go's encoding/json gives for text that is not JSON, for the common case dockerd
 * reports at start: a value that does not begin like one (`seccomp=builtin`, a path the CLI did
 * not read). Deeper syntax errors keep the JavaScript parser's message. Pure.
 */

/** Go's quoting of one character in a syntax error (`'b'`, `'\''`, `'\n'`). */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return '\'"\'';
  return `'${JSON.stringify(c).slice(1, -1)}'`;
}

/** Go's message for `text`, when it can tell it; else `fallback`. */
export function goJsonSyntaxError(text: string, fallback: string): string {
  const t = text.replace(/^[ \t\r\n]+/, '');
  if (t === '') return 'unexpected end of JSON input';
  const c = t[0]!;
  if (c === '{' || c === '[' || c === '"' || c === '-' || (c >= '0' && c <= '9')) return fallback;
  const literal = { n: 'null', t: 'true', f: 'false' }[c];
  if (!literal) return `invalid character ${quoteChar(c)} looking for beginning of value`;
  for (let i = 1; i < literal.length; i++) {
    if (i >= t.length) return 'unexpected end of JSON input';
    if (t[i] !== literal[i]) return `invalid character ${quoteChar(t[i]!)} in literal ${literal} (expecting ${quoteChar(literal[i]!)})`;
  }
  return fallback;
}
