/**
 * Go's text/tabwriter as the docker CLI configures it (minwidth 10, tabwidth 1, padding 3, pad
 * with spaces, no flags): tab-terminated cells are aligned in columns; a column block is a run of
 * consecutive lines that have a cell in that column; text after a line's last tab is not aligned.
 */

/** The tabwriter settings; docker uses `{ minWidth: 10, padding: 3 }`. */
export interface TabwriterOptions {
  minWidth: number;
  padding: number;
}

/** Docker's table settings. */
export const DOCKER_TABLE: TabwriterOptions = { minWidth: 10, padding: 3 };

/** Width of a cell as tabwriter counts it: one per Unicode code point. */
function cellWidth(s: string): number {
  return [...s].length;
}

/** Aligns tab-separated text the way Go's tabwriter does and returns the result. */
export function alignTabs(text: string, opts: TabwriterOptions = DOCKER_TABLE): string {
  const endsWithNewline = text.endsWith('\n');
  const rawLines = (endsWithNewline ? text.slice(0, -1) : text).split('\n');
  const lines = rawLines.map((l) => l.split('\t'));
  const widths: number[] = [];
  const out: string[] = new Array<string>(lines.length);

  const render = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i]!;
      let s = '';
      cells.forEach((c, j) => {
        if (j < cells.length - 1 && j < widths.length) s += c + ' '.repeat(Math.max(0, widths[j]! - cellWidth(c)));
        else s += c;
      });
      out[i] = s;
    }
  };

  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let cur = line0; cur < line1; cur++) {
      if (column >= lines[cur]!.length - 1) continue;
      render(line0, cur);
      line0 = cur;
      let width = opts.minWidth;
      for (; cur < line1; cur++) {
        const cells = lines[cur]!;
        if (column >= cells.length - 1) break;
        const w = cellWidth(cells[column]!) + opts.padding;
        if (w > width) width = w;
      }
      widths.push(width);
      format(line0, cur);
      widths.pop();
      line0 = cur;
    }
    render(line0, line1);
  };

  format(0, lines.length);
  return out.join('\n') + (endsWithNewline ? '\n' : '');
}
