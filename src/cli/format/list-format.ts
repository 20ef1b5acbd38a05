/**
 * Renders a list with a docker `--format` value: a Go template per row, or with the `table`
 * prefix a header row plus aligned columns (tabwriter, padding 3). `json` prints each row as JSON.
 * Literal `\t` and `\n` in the format become a tab and a newline, as in docker.
 */
import { alignTabs } from './tabwriter.js';
import { GoTemplate } from './template-exec.js';

/** A context whose fields all print their column header, for the table's first line. */
class HeaderContext {
  constructor(headers: Record<string, string>) {
    for (const [k, v] of Object.entries(headers)) {
      // `.Label "name"` is headed by the label's name, every other field by its fixed header.
      (this as Record<string, unknown>)[k] = k === 'Label' ? (name: unknown) => String(name) : () => v;
    }
  }
}

/** Normalises a docker format string: `\t`/`\n` escapes, `table` prefix, `json` shorthand. */
export function prepareFormat(format: string): { table: boolean; template: string } {
  let f = format;
  let table = false;
  if (f.startsWith('table')) {
    table = true;
    f = f.slice('table'.length);
  }
  f = f.trim();
  if (f === 'json') f = '{{json .}}';
  f = f.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  return { table, template: f };
}

/** Renders rows with a format; `headers` names each field for the table header line. */
export function renderList(format: string, rows: object[], headers: Record<string, string>): string {
  const { table, template } = prepareFormat(format);
  const tmpl = new GoTemplate(template);
  let out = '';
  if (table) out += tmpl.execute(new HeaderContext(headers)) + '\n';
  for (const row of rows) out += tmpl.execute(row) + '\n';
  return table ? alignTabs(out) : out;
}
