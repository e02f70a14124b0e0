/**
 * Frames the bytes a raw socket receives into HTTP/1.1 responses as they arrive: status line
 * and headers, then a body ended by content-length, by chunked encoding or by the close.
 * Apart from the socket (raw-connection.ts feeds it each read with its time, and the close)
 * so the framing rules read on their own. Pipelined responses are kept in order; 1xx interim
 * responses are noted and skipped; bytes that are not HTTP stop it with a protocolError.
 */

export interface RawResponse {
  status: number;
  reason: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  /** Body bytes as they arrived (for chunked: decoded data, per socket read). */
  chunks: { atMs: number; bytes: number }[];
  complete: boolean;
  completeAtMs?: number;
  /** Why the response is incomplete ("the connection closed after 10 of 52 body bytes"). */
  cut?: string;
}

type ParseState =
  | { kind: 'head' }
  | { kind: 'length'; remaining: number }
  | { kind: 'chunk-size' }
  | { kind: 'chunk-data'; remaining: number }
  | { kind: 'chunk-crlf' }
  | { kind: 'trailers' }
  | { kind: 'close' }
  | { kind: 'stopped' };

export class ResponseParser {
  readonly responses: RawResponse[] = [];
  /** The bytes received were not an HTTP/1.1 response: what was wrong. */
  protocolError?: string;
  private buffer: Buffer = Buffer.alloc(0);
  private state: ParseState = { kind: 'head' };
  private readonly noBody = new Set<number>();

  /** `note` gets each event, for the connection's timeline. */
  constructor(private readonly note: (event: string) => void) {}

  /** Response #index answers a HEAD: it has no body, whatever its headers announce. */
  expectNoBody(index: number): void {
    this.noBody.add(index);
  }

  /** Bytes that arrived `atMs` ms after the connection opened. */
  push(data: Buffer, atMs: number): void {
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
    this.parse(atMs);
  }

  /** The connection closed: a body without length or chunking ends here, any other unfinished one was cut. */
  closed(atMs: number): void {
    const last = this.responses.at(-1);
    if (!last || last.complete) return;
    // No length and no chunking: the end of the connection is the end of the body.
    if (this.state.kind === 'close') this.finish(last, atMs);
    else last.cut = this.describeCut(last);
  }

  private describeCut(response: RawResponse): string {
    if (this.state.kind === 'length') {
      const declared = response.body.length + this.state.remaining;
      return `the connection closed after ${response.body.length} of the ${declared} body bytes its content-length announced`;
    }
    return `the connection closed after ${response.body.length} body bytes, before the terminating zero-size chunk of the chunked body`;
  }

  private parse(atMs: number): void {
    for (;;) {
      const state = this.state;
      if (state.kind === 'stopped') return;
      const current = this.responses.at(-1);
      if (state.kind === 'head') {
        if (this.buffer.length === 0) return;
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end === -1) {
          if (!/^HTTP\//.test(this.buffer.subarray(0, 5).toString('latin1')) && this.buffer.length >= 5) {
            this.stop(`expected a status line starting with "HTTP/", got ${JSON.stringify(this.buffer.subarray(0, 40).toString('latin1'))}`);
          }
          return;
        }
        const head = this.buffer.subarray(0, end).toString('latin1');
        this.buffer = this.buffer.subarray(end + 4);
        this.onHead(head, atMs);
        continue;
      }
      if (!current) return;
      if (state.kind === 'length') {
        if (this.buffer.length === 0) return;
        const take = Math.min(state.remaining, this.buffer.length);
        this.addBody(current, this.buffer.subarray(0, take), atMs);
        this.buffer = this.buffer.subarray(take);
        state.remaining -= take;
        if (state.remaining === 0) this.finish(current, atMs);
        continue;
      }
      if (state.kind === 'close') {
        if (this.buffer.length === 0) return;
        this.addBody(current, this.buffer, atMs);
        this.buffer = Buffer.alloc(0);
        return;
      }
      if (state.kind === 'chunk-size' || state.kind === 'trailers') {
        const lineEnd = this.buffer.indexOf('\r\n');
        if (lineEnd === -1) return;
        const line = this.buffer.subarray(0, lineEnd).toString('latin1');
        this.buffer = this.buffer.subarray(lineEnd + 2);
        if (state.kind === 'trailers') {
          if (line === '') this.finish(current, atMs);
          continue;
        }
        const size = Number.parseInt(line.split(';')[0]!.trim(), 16);
        if (!Number.isFinite(size) || size < 0 || !/^[0-9a-fA-F]+$/.test(line.split(';')[0]!.trim())) {
          this.stop(`a chunked body with an invalid chunk-size line ${JSON.stringify(line.slice(0, 40))}`);
          return;
        }
        this.state = size === 0 ? { kind: 'trailers' } : { kind: 'chunk-data', remaining: size };
        continue;
      }
      if (state.kind === 'chunk-data') {
        if (this.buffer.length === 0) return;
        const take = Math.min(state.remaining, this.buffer.length);
        this.addBody(current, this.buffer.subarray(0, take), atMs);
        this.buffer = this.buffer.subarray(take);
        state.remaining -= take;
        if (state.remaining === 0) this.state = { kind: 'chunk-crlf' };
        continue;
      }
      if (state.kind === 'chunk-crlf') {
        if (this.buffer.length < 2) return;
        if (this.buffer[0] !== 0x0d || this.buffer[1] !== 0x0a) {
          this.stop('a chunk of a chunked body was longer than its size line said');
          return;
        }
        this.buffer = this.buffer.subarray(2);
        this.state = { kind: 'chunk-size' };
        continue;
      }
    }
  }

  private onHead(head: string, atMs: number): void {
    const [statusLine = '', ...lines] = head.split('\r\n');
    const match = /^HTTP\/(\d\.\d) (\d{3})(?: (.*))?$/.exec(statusLine);
    if (!match) {
      this.stop(`expected a status line like "HTTP/1.1 200 OK", got ${JSON.stringify(statusLine.slice(0, 60))}`);
      return;
    }
    const status = Number(match[2]);
    if (status >= 100 && status < 200 && status !== 101) {
      this.note(`interim response ${status}`);
      return;
    }
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const key = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
    }
    const index = this.responses.length;
    const response: RawResponse = { status, reason: match[3] ?? '', headers, body: Buffer.alloc(0), chunks: [], complete: false };
    this.responses.push(response);
    this.note(`response ${index + 1} headers: ${status} ${response.reason}`);
    const chunked = /(^|,)\s*chunked\s*$/i.test(headers['transfer-encoding'] ?? '');
    if (this.noBody.has(index) || status === 204 || status === 304) {
      this.finish(response, atMs);
    } else if (chunked) {
      this.state = { kind: 'chunk-size' };
    } else if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      if (!Number.isSafeInteger(length) || length < 0) {
        this.stop(`a content-length header that is not a number: ${JSON.stringify(headers['content-length'])}`);
        return;
      }
      if (length === 0) this.finish(response, atMs);
      else this.state = { kind: 'length', remaining: length };
    } else {
      this.state = { kind: 'close' };
    }
  }

  private addBody(response: RawResponse, bytes: Buffer, atMs: number): void {
    response.body = Buffer.concat([response.body, bytes]);
    const last = response.chunks.at(-1);
    if (last && last.atMs === atMs) last.bytes += bytes.length;
    else response.chunks.push({ atMs, bytes: bytes.length });
  }

  private finish(response: RawResponse, atMs: number): void {
    response.complete = true;
    response.completeAtMs = atMs;
    this.state = { kind: 'head' };
    this.note(`response ${this.responses.indexOf(response) + 1} complete (${response.body.length} body bytes)`);
  }

  private stop(problem: string): void {
    this.protocolError = problem;
    this.state = { kind: 'stopped' };
    this.note(`not HTTP: ${problem}`);
  }
}
