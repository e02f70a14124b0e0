/**
 * The bytes a raw-socket check sends, and the same bytes as a line the learner can paste.
 * Checks that need input a well-behaved client never produces (a lying content-length, a
 * body that stops half-way) write the request themselves: rawRequest and chunk build it,
 * ncLine turns it into the `printf ... | nc` command a failure message shows.
 */

export interface RawRequestShape {
  readonly method?: string;
  readonly path: string;
  /** Sent in this order, exactly as given. A Host header is added unless present. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

/** Request bytes: request line, Host (unless given), the headers in order, blank line, body. */
export function rawRequest(shape: RawRequestShape): Buffer {
  const headers = { ...shape.headers };
  const lines = [`${shape.method ?? 'GET'} ${shape.path} HTTP/1.1`];
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'host')) lines.push('Host: localhost');
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  if (shape.body === undefined) return head;
  return Buffer.concat([head, typeof shape.body === 'string' ? Buffer.from(shape.body) : shape.body]);
}

/** One chunk of a chunked body: size in hex, CRLF, data, CRLF. */
export function chunk(data: string | Buffer): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')]);
}

/** The zero-size chunk (and empty trailer section) that ends a chunked body. */
export const LAST_CHUNK = '0\r\n\r\n';

/**
 * The bytes as a command the learner can paste: printf reproduces \r\n exactly,
 * curl cannot send a lying content-length or a half-finished body.
 * `note` describes what the command cannot show ("then 200 KiB more, slowly").
 */
export function ncLine(bytes: string | Buffer, note?: string): string {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('latin1');
  const shown = text.length > 300 ? text.slice(0, 300) : text;
  const escaped = shown
    .replaceAll('\\', '\\\\')
    .replaceAll('%', '%%')
    .replaceAll("'", `'\\''`)
    .replaceAll('\r', '\\r')
    .replaceAll('\n', '\\n')
    .replace(/[^\x20-\x7e]/g, (char) => `\\${char.charCodeAt(0).toString(8).padStart(3, '0')}`);
  const more = text.length > shown.length ? ` (and ${text.length - shown.length} more bytes)` : '';
  return `printf '${escaped}' | nc localhost 3000${more}${note ? `   # ${note}` : ''}`;
}
