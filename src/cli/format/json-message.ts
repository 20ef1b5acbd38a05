/**
 * The JSON message streams of build, load and import (`{"stream":...}`, `{"status":...}`,
 * `{"aux":...}`, `{"error":...,"errorDetail":{...}}`), decoded incrementally and displayed the
 * way the docker CLI does on a non-terminal.
 */

/** One message of the stream. */
export interface JsonMessage {
  stream?: string;
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: unknown;
  aux?: unknown;
  error?: string;
  errorDetail?: { code?: number; message?: string };
}

/** A failure reported inside the stream; `code` becomes the exit status (default 1). */
export class JsonMessageError extends Error {
  override readonly name = 'JsonMessageError';
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/** Splits concatenated JSON values out of a growing buffer; returns the values and the rest. */
export function splitJsonValues(text: string): { values: string[]; rest: string } {
  const values: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0 && start >= 0) {
        values.push(text.slice(start, i + 1));
        start = -1;
      }
    }
  }
  const rest = depth > 0 && start >= 0 ? text.slice(start) : '';
  return { values, rest };
}

/** Formats one message for a non-terminal output ('' when nothing is printed). */
export function formatJsonMessage(m: JsonMessage): string {
  if (m.stream !== undefined) return m.stream;
  if (m.status !== undefined) {
    if (m.progressDetail && Object.keys(m.progressDetail as object).length > 0) return '';
    return `${m.id ? `${m.id}: ` : ''}${m.status}${m.progress ? ` ${m.progress}` : ''}\n`;
  }
  return '';
}

/** Reads the stream to its end, writing messages to `out`; throws JsonMessageError on an error message. */
export function displayJsonMessages(
  stream: NodeJS.ReadableStream,
  out: NodeJS.WritableStream,
  onAux?: (aux: unknown) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let failed: JsonMessageError | undefined;
    stream.on('data', (chunk: Buffer | string) => {
      buffer += chunk.toString();
      const { values, rest } = splitJsonValues(buffer);
      buffer = rest;
      for (const v of values) {
        let m: JsonMessage;
        try {
          m = JSON.parse(v) as JsonMessage;
        } catch {
          continue;
        }
        if (failed) continue;
        if (m.error !== undefined || m.errorDetail !== undefined) {
          failed = new JsonMessageError(m.errorDetail?.message ?? m.error ?? '', m.errorDetail?.code || 1);
          continue;
        }
        if (m.aux !== undefined) onAux?.(m.aux);
        const text = formatJsonMessage(m);
        if (text) out.write(text);
      }
    });
    stream.on('end', () => (failed ? reject(failed) : resolve()));
    stream.on('error', reject);
  });
}
