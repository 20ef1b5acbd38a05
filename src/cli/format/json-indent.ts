/**
 * Go's json.Indent over raw JSON documents, as `docker inspect` (CLI 28) prints them: the text
 * of each string is kept, except that the HTML escapes a Go daemon writes (`\u003c`, `\u003e`,
 * `\u0026`) are printed as the plain characters; empty objects and arrays stay on one line.
 */

function unescapeHtmlInString(s: string): string {
  return s.replace(/(\\+)u00(3[cC]|3[eE]|26)/g, (m, slashes: string, hex: string) =>
    slashes.length % 2 === 1 ? slashes.slice(1) + String.fromCharCode(parseInt(hex, 16)) : m,
  );
}

/** Re-indents compact or pretty JSON text with `indent` per level (Go's json.Indent rules). */
export function indentJson(text: string, indent = '    '): string {
  let out = '';
  let depth = 0;
  let needIndent = false;
  const newline = () => '\n' + indent.repeat(depth);
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (needIndent && c !== ']' && c !== '}') {
      needIndent = false;
      depth++;
      out += newline();
    }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += unescapeHtmlInString(text.slice(i, j + 1));
      i = j;
      continue;
    }
    switch (c) {
      case '{':
      case '[':
        out += c;
        needIndent = true;
        break;
      case ',':
        out += c + newline();
        break;
      case ':':
        out += ': ';
        break;
      case '}':
      case ']':
        if (needIndent) {
          needIndent = false; // empty: `{}` / `[]`
        } else {
          depth--;
          out += newline();
        }
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}
