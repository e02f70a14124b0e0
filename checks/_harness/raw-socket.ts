/**
 * A raw HTTP/1.1 client over `node:net`, for input a well-behaved client will not
 * produce: a body cut short, a content-length that lies, a chunked upload trickled in
 * slowly, an upload abandoned half-way, two requests pipelined on one connection, a
 * request line that is not HTTP at all. It writes exactly the bytes it is given and
 * writes down, with a timestamp, everything that comes back.
 *
 * API (stable: phase 02 and phase 07 checks use it)
 *
 *   const conn = await openRaw(server, { connectWithinMs? , lifetimeMs? })
 *       Connects to `server.origin` (a RunningServer, or anything with an origin).
 *       A refused or slow connection is a CheckFailure that says so (and whether the
 *       server process died). Every connection is destroyed at the latest after
 *       `lifetimeMs` (default 60 s), even if a check forgets to.
 *   await withRaw(server, async (conn) => { ... }, options?)
 *       The same, and the socket is destroyed when the callback settles: prefer this.
 *
 *   Writing (every write has a deadline and never throws; outcomes are data):
 *   Deadlines not given are quiet-machine defaults stretched by the measured pace (pace.ts);
 *   a deadline a check passes is used as given: wrap it in scaled() there.
 *
 *     conn.write(bytes, { withinMs? })        → WriteOutcome {ok, atMs, got?}
 *         ok once the bytes are handed to the OS; not ok if the connection failed,
 *         or the OS would not take them within the deadline (the server stopped reading).
 *     conn.pump({ next, everyMs, forMs, stallMs?, stopOnResponse? }) → PumpOutcome
 *         Writes `next(i)` every `everyMs` until it returns undefined, a response
 *         starts (default), the connection fails, a write stalls, or `forMs` passes.
 *         Reports bytes sent and why it stopped: "a slow upload" in one call.
 *         Between pieces it lets the event loop read first: a write that fails (the
 *         server reset the connection) makes Node drop the socket, and with it any
 *         response bytes not read yet. So pace uploads whose answer you need to see;
 *         an everyMs: 0 firehose is for when only the server's side matters (memory).
 *     conn.halfClose()   FIN: "I have nothing more to send", still reading.
 *     conn.reset()       RST: the client vanishes mid-request (an aborted upload).
 *     conn.destroy()     quiet local close; idempotent; withRaw calls it for you.
 *     conn.expectNoBody(index)  response #index answers a HEAD: it has no body.
 *
 *   What came back (filled in as bytes arrive; times are ms since openRaw was called):
 *     conn.responses: RawResponse[]  in order; several when requests were pipelined.
 *         status, reason, httpVersion, headers (lower-case names), body (Buffer),
 *         framing ('content-length' | 'chunked' | 'close' | 'none'),
 *         firstByteAtMs, headersAtMs, chunks [{atMs, bytes}], complete, completeAtMs,
 *         terminatingChunkAtMs (chunked only), cut (why it is incomplete), interim (1xx).
 *     conn.closedAtMs / conn.serverEndedAtMs / conn.closeError: the socket closed /
 *         the server sent FIN / the socket failed (ECONNRESET...).
 *     conn.sent: {atMs, bytes}[] and conn.bytesSent: what was handed to the OS, when.
 *     conn.protocolError: the bytes received were not an HTTP/1.1 response.
 *     conn.timeline: the same events as readable lines, for a failure message.
 *     conn.received (the first 16 KiB as latin1 text) and conn.bytesReceived: the raw
 *         bytes, e.g. to count what really followed the headers; conn.isClosed;
 *         conn.describeReceived(): "413 Payload Too Large (40 body bytes)" for a Got line.
 *
 *   Waiting (each wait has a deadline and returns Waited<T>: {ok:true, value, afterMs}
 *   or {ok:false, got, afterMs} where `got` names what was awaited and what happened):
 *     conn.headers(index = 0, withinMs)      the status line and headers of response #index
 *     conn.response(index = 0, withinMs)     response #index complete (or cut: see .cut)
 *     conn.closed(withinMs)                  the socket closed (by either side)
 *
 *   For failure messages: rawRequest({method, path, headers, body}) builds request bytes,
 *   chunk(data) / LAST_CHUNK encode a chunked body, and ncLine(text) prints the bytes as
 *   a `printf ... | nc localhost 3000` line the learner can paste.
 */
import net from 'node:net';
import { fail } from './failures.ts';
import type { ChildHandle } from './processes.ts';
import { describeExit } from './http.ts';
import { noteRequest } from './last-request.ts';
import { describeMs, scaled } from './pace.ts';

export interface RawTarget {
  readonly origin: string;
  /** When present, a refused connection is explained by the process's exit. */
  readonly proc?: ChildHandle;
  tail?(lines?: number): string;
}

export interface RawOptions {
  readonly connectWithinMs?: number;
  /** Safety net: the socket is destroyed this long after opening, whatever happens. */
  readonly lifetimeMs?: number;
}

export interface RawResponse {
  readonly index: number;
  httpVersion: string;
  status: number;
  reason: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  rawHeaders: [string, string][];
  /** 1xx responses (100 Continue) that came before this one. */
  interim: { status: number; atMs: number }[];
  framing: 'content-length' | 'chunked' | 'close' | 'none';
  /** content-length as declared, when framing is 'content-length'. */
  declaredLength?: number;
  body: Buffer;
  /** Body bytes as they arrived (for chunked: decoded data, per socket read). */
  chunks: { atMs: number; bytes: number }[];
  firstByteAtMs: number;
  headersAtMs: number;
  complete: boolean;
  completeAtMs?: number;
  /** Chunked only: when the zero-size chunk that ends the body arrived. */
  terminatingChunkAtMs?: number;
  /** Why the response is incomplete ("the connection closed after 10 of 52 body bytes"). */
  cut?: string;
}

export type Waited<T> =
  | { readonly ok: true; readonly value: T; readonly afterMs: number }
  | { readonly ok: false; readonly got: string; readonly afterMs: number };

export interface WriteOutcome {
  readonly ok: boolean;
  readonly atMs: number;
  /** When not ok: what went wrong, in words. */
  readonly got?: string;
}

export interface PumpOptions {
  /** The i-th piece to send (0-based), or undefined when there is nothing more. */
  readonly next: (i: number) => string | Buffer | undefined;
  /** Pause between pieces. */
  readonly everyMs: number;
  /** Give up sending after this long, even if `next` has more. */
  readonly forMs: number;
  /** A single write the OS does not accept within this long counts as a stall (default 2000 ms, stretched by the pace). */
  readonly stallMs?: number;
  /** Stop as soon as the status line of a response arrives (default true). */
  readonly stopOnResponse?: boolean;
}

export interface PumpOutcome {
  readonly pieces: number;
  readonly bytes: number;
  readonly stoppedBecause: 'done' | 'response' | 'closed' | 'write-failed' | 'stalled' | 'time';
  readonly atMs: number;
  readonly got?: string;
}

/**
 * Quiet-machine deadlines. A wait or write without its own deadline gets these, stretched
 * by the measured pace (pace.ts); a deadline a check passes is used as given (the check
 * wraps it in scaled() itself).
 */
const DEFAULT_CONNECT_WITHIN_MS = 3000;
const DEFAULT_WAIT_MS = 2000;
const DEFAULT_WRITE_WITHIN_MS = 2000;
/** After a refused connection: how long to wait for the process's exit before calling it alive. */
const EXIT_AFTER_FAILURE_MS = 300;
const DEFAULT_LIFETIME_MS = 60_000;
/** Enough of the received bytes to quote back; the parsed body is kept in full. */
const TRANSCRIPT_LIMIT = 16 * 1024;

type ParseState =
  | { kind: 'head' }
  | { kind: 'length'; remaining: number }
  | { kind: 'chunk-size' }
  | { kind: 'chunk-data'; remaining: number }
  | { kind: 'chunk-crlf' }
  | { kind: 'trailers' }
  | { kind: 'close' }
  | { kind: 'stopped' };

export class RawConnection {
  readonly responses: RawResponse[] = [];
  readonly sent: { atMs: number; bytes: number }[] = [];
  readonly timeline: string[] = [];
  bytesSent = 0;
  bytesReceived = 0;
  connectedAtMs?: number;
  serverEndedAtMs?: number;
  closedAtMs?: number;
  closeError?: string;
  protocolError?: string;
  /** The first bytes received, as text, for quoting. */
  received = '';
  private buffer: Buffer = Buffer.alloc(0);
  private state: ParseState = { kind: 'head' };
  private pendingInterim: { status: number; atMs: number }[] = [];
  private readonly noBody = new Set<number>();
  private readonly listeners = new Set<() => void>();
  private readonly lifetime: NodeJS.Timeout;
  /** Called with the first bytes written, so a later failure can name the request (last-request.ts). */
  onFirstWrite?: (data: string | Buffer) => void;

  constructor(
    readonly socket: net.Socket,
    private readonly startedAt: number,
    lifetimeMs: number,
  ) {
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('end', () => {
      this.serverEndedAtMs = this.now();
      this.note('the server ended its side (FIN)');
      this.changed();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.closeError ??= error.code ?? error.message;
      this.note(`socket error ${this.closeError}`);
    });
    socket.on('close', () => this.onClose());
    this.lifetime = setTimeout(() => this.destroy(), lifetimeMs);
    this.lifetime.unref();
  }

  /** Milliseconds since openRaw was called. */
  now(): number {
    return Math.round(performance.now() - this.startedAt);
  }

  get isClosed(): boolean {
    return this.closedAtMs !== undefined;
  }

  expectNoBody(index: number): void {
    this.noBody.add(index);
  }

  write(data: string | Buffer, options: { withinMs?: number } = {}): Promise<WriteOutcome> {
    const withinMs = options.withinMs ?? scaled(DEFAULT_WRITE_WITHIN_MS);
    const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    if (this.onFirstWrite) {
      this.onFirstWrite(data);
      this.onFirstWrite = undefined;
    }
    if (this.socket.destroyed || this.socket.writableEnded) {
      return Promise.resolve({ ok: false, atMs: this.now(), got: `could not send ${bytes} bytes: the connection was already closed` });
    }
    return new Promise((resolve) => {
      let settled = false;
      const settle = (outcome: WriteOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.socket.off('close', onClose);
        resolve(outcome);
      };
      const onClose = () =>
        settle({ ok: false, atMs: this.now(), got: `the connection closed while ${bytes} bytes were being sent${this.closeError ? ` (${this.closeError})` : ''}` });
      const timer = setTimeout(
        () => settle({ ok: false, atMs: this.now(), got: `the OS did not take ${bytes} more bytes within ${describeMs(withinMs)}: the server stopped reading` }),
        withinMs,
      );
      this.socket.once('close', onClose);
      this.socket.write(data, (error) => {
        if (error) {
          settle({ ok: false, atMs: this.now(), got: `sending failed: ${(error as NodeJS.ErrnoException).code ?? error.message}` });
          return;
        }
        const atMs = this.now();
        this.bytesSent += bytes;
        this.sent.push({ atMs, bytes });
        settle({ ok: true, atMs });
      });
    });
  }

  async pump(options: PumpOptions): Promise<PumpOutcome> {
    const started = performance.now();
    const stopOnResponse = options.stopOnResponse ?? true;
    let pieces = 0;
    let bytes = 0;
    const outcome = (stoppedBecause: PumpOutcome['stoppedBecause'], got?: string): PumpOutcome => ({
      pieces,
      bytes,
      stoppedBecause,
      atMs: this.now(),
      got,
    });
    for (let i = 0; ; i++) {
      if (stopOnResponse && this.responses.length > 0) return outcome('response');
      if (this.isClosed) return outcome('closed');
      if (performance.now() - started >= options.forMs) return outcome('time');
      const piece = options.next(i);
      if (piece === undefined) return outcome('done');
      // Let one poll phase run first: a response (and a reset right behind it) that arrived
      // during the pause is read before this write can fail and take the socket down with it.
      await new Promise((resolve) => setImmediate(resolve));
      if (stopOnResponse && this.responses.length > 0) return outcome('response');
      if (this.isClosed) return outcome('closed');
      const written = await this.write(piece, { withinMs: options.stallMs ?? scaled(DEFAULT_WRITE_WITHIN_MS) });
      if (!written.ok) {
        if (this.isClosed) return outcome('closed', written.got);
        return outcome(/did not take/.test(written.got ?? '') ? 'stalled' : 'write-failed', written.got);
      }
      pieces++;
      bytes += typeof piece === 'string' ? Buffer.byteLength(piece) : piece.length;
      if (options.everyMs > 0) await this.sleepUnlessResponse(options.everyMs, stopOnResponse);
    }
  }

  halfClose(): void {
    if (!this.socket.destroyed) this.socket.end();
    this.note('the client ended its side (FIN)');
  }

  reset(): void {
    if (this.socket.destroyed) return;
    this.note('the client reset the connection (RST)');
    // resetAndDestroy sends RST instead of FIN: the server sees ECONNRESET, as when a client process dies.
    if (typeof this.socket.resetAndDestroy === 'function') this.socket.resetAndDestroy();
    else this.socket.destroy();
  }

  destroy(): void {
    clearTimeout(this.lifetime);
    if (!this.socket.destroyed) this.socket.destroy();
  }

  /** The status line and headers of response #index. */
  headers(index = 0, withinMs = scaled(DEFAULT_WAIT_MS)): Promise<Waited<RawResponse>> {
    return this.waitFor(
      () => this.responses[index],
      withinMs,
      `no ${ordinal(index)}response headers`,
    );
  }

  /** Response #index complete, or cut short by the connection closing (see `.cut`). */
  response(index = 0, withinMs = scaled(DEFAULT_WAIT_MS)): Promise<Waited<RawResponse>> {
    return this.waitFor(
      () => {
        const response = this.responses[index];
        return response && (response.complete || response.cut !== undefined) ? response : undefined;
      },
      withinMs,
      `the ${ordinal(index)}response did not end`,
    );
  }

  /** The socket closed, by either side; the value is when (ms since open). */
  closed(withinMs = scaled(DEFAULT_WAIT_MS)): Promise<Waited<number>> {
    return this.waitFor(
      () => this.closedAtMs,
      withinMs,
      'the connection did not close',
    );
  }

  /** What was received so far, in words: for a "Got:" line. */
  describeReceived(): string {
    if (this.responses.length === 0) {
      return this.bytesReceived === 0 ? 'no bytes at all' : `${this.bytesReceived} bytes that are not a complete response head`;
    }
    return this.responses
      .map((r) => `${r.status} ${r.reason} (${r.complete ? `${r.body.length} body bytes` : r.cut ?? `${r.body.length} body bytes so far`})`)
      .join(', then ');
  }

  private waitFor<T>(probe: () => T | undefined, withinMs: number, missing: string): Promise<Waited<T>> {
    const started = performance.now();
    const afterMs = () => Math.round(performance.now() - started);
    return new Promise((resolve) => {
      const finish = (result: Waited<T>) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(result);
      };
      const check = () => {
        const value = probe();
        if (value !== undefined) return finish({ ok: true, value, afterMs: afterMs() });
        if (this.isClosed) {
          finish({
            ok: false,
            afterMs: afterMs(),
            got: `${missing}: the connection closed ${this.closedAtMs} ms after it opened${this.closeError ? ` (${this.closeError})` : ''}, having received ${this.describeReceived()}`,
          });
        }
      };
      const timer = setTimeout(() => {
        const value = probe();
        finish(
          value !== undefined
            ? { ok: true, value, afterMs: afterMs() }
            : { ok: false, afterMs: afterMs(), got: `${missing} within ${describeMs(withinMs)} (the connection stayed open; received ${this.describeReceived()})` },
        );
      }, withinMs);
      this.listeners.add(check);
      check();
    });
  }

  private sleepUnlessResponse(ms: number, wake: boolean): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      const check = () => {
        if ((wake && this.responses.length > 0) || this.isClosed) done();
      };
      const timer = setTimeout(done, ms);
      this.listeners.add(check);
    });
  }

  private note(event: string): void {
    this.timeline.push(`${this.now()} ms: ${event}`);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private onData(data: Buffer): void {
    const atMs = this.now();
    this.bytesReceived += data.length;
    if (this.received.length < TRANSCRIPT_LIMIT) this.received += data.toString('latin1').slice(0, TRANSCRIPT_LIMIT - this.received.length);
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
    this.parse(atMs);
    this.changed();
  }

  private onClose(): void {
    this.closedAtMs = this.now();
    clearTimeout(this.lifetime);
    const last = this.responses.at(-1);
    if (last && !last.complete) {
      if (this.state.kind === 'close') {
        // No length and no chunking: the end of the connection is the end of the body.
        this.finish(last, this.closedAtMs);
      } else {
        last.cut = this.describeCut(last);
      }
    }
    this.note(`the connection closed${this.closeError ? ` (${this.closeError})` : ''}`);
    this.changed();
  }

  private describeCut(response: RawResponse): string {
    if (response.framing === 'content-length') {
      return `the connection closed after ${response.body.length} of the ${response.declaredLength} body bytes its content-length announced`;
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
        // The first byte of the next response is in this read (or an earlier one, noted then).
        this.headStartedAtMs ??= atMs;
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
        if (size === 0) {
          current.terminatingChunkAtMs = atMs;
          this.state = { kind: 'trailers' };
        } else {
          this.state = { kind: 'chunk-data', remaining: size };
        }
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
      this.pendingInterim.push({ status, atMs });
      this.note(`interim response ${status}`);
      return;
    }
    const rawHeaders: [string, string][] = [];
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      rawHeaders.push([name, value]);
      const key = name.toLowerCase();
      headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
    }
    const index = this.responses.length;
    const response: RawResponse = {
      index,
      httpVersion: match[1]!,
      status,
      reason: match[3] ?? '',
      headers,
      rawHeaders,
      interim: this.pendingInterim,
      framing: 'none',
      body: Buffer.alloc(0),
      chunks: [],
      firstByteAtMs: this.headStartedAtMs ?? atMs,
      headersAtMs: atMs,
      complete: false,
    };
    this.pendingInterim = [];
    this.headStartedAtMs = undefined;
    this.responses.push(response);
    this.note(`response ${index + 1} headers: ${status} ${response.reason}`);
    const chunked = /(^|,)\s*chunked\s*$/i.test(headers['transfer-encoding'] ?? '');
    if (this.noBody.has(index) || status === 204 || status === 304) {
      this.finish(response, atMs);
    } else if (chunked) {
      response.framing = 'chunked';
      this.state = { kind: 'chunk-size' };
    } else if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      if (!Number.isSafeInteger(length) || length < 0) {
        this.stop(`a content-length header that is not a number: ${JSON.stringify(headers['content-length'])}`);
        return;
      }
      response.framing = 'content-length';
      response.declaredLength = length;
      if (length === 0) this.finish(response, atMs);
      else this.state = { kind: 'length', remaining: length };
    } else {
      response.framing = 'close';
      this.state = { kind: 'close' };
    }
  }

  private headStartedAtMs?: number;

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
    this.note(`response ${response.index + 1} complete (${response.body.length} body bytes)`);
  }

  private stop(problem: string): void {
    this.protocolError = problem;
    this.state = { kind: 'stopped' };
    this.note(`not HTTP: ${problem}`);
  }
}

/** Connects, or fails the check explaining why the server could not be reached. */
export async function openRaw(target: RawTarget, options: RawOptions = {}): Promise<RawConnection> {
  const startedAt = performance.now();
  const url = new URL(target.origin);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port);
  const withinMs = options.connectWithinMs ?? scaled(DEFAULT_CONNECT_WITHIN_MS);
  const socket = net.connect({ host, port });
  socket.setNoDelay(true);
  const problem = await new Promise<string | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(`no TCP connection within ${describeMs(withinMs)}`), withinMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code === 'ECONNREFUSED' ? 'connection refused: nothing was listening on the port' : `could not connect (${error.code ?? error.message})`);
    });
  });
  if (problem) {
    socket.destroy();
    const exit = target.proc?.exit ?? (await target.proc?.waitForExit(scaled(EXIT_AFTER_FAILURE_MS)));
    fail({
      expected: `the server to accept a TCP connection on port ${port}`,
      got: exit ? `${problem}; the server process ${describeExit(exit)}` : problem,
      means: exit
        ? 'an earlier request crashed the server: the first error in its output is the cause'
        : 'the server is not listening any more, or is too busy to accept connections',
      serverOutput: target.tail?.(),
    });
  }
  const conn = new RawConnection(socket, startedAt, options.lifetimeMs ?? DEFAULT_LIFETIME_MS);
  conn.connectedAtMs = conn.now();
  if (target.proc) {
    const proc = target.proc;
    conn.onFirstWrite = (data) => noteRequest(proc, ncLine(data));
  }
  return conn;
}

/** Opens a connection, runs `use`, and always destroys the socket afterwards. */
export async function withRaw<T>(target: RawTarget, use: (conn: RawConnection) => Promise<T>, options: RawOptions = {}): Promise<T> {
  const conn = await openRaw(target, options);
  try {
    return await use(conn);
  } finally {
    conn.destroy();
  }
}

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

function ordinal(index: number): string {
  return index === 0 ? '' : `#${index + 1} `;
}
