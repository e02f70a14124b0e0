/**
 * One open raw connection to the learner's server (openRaw in raw-socket.ts makes it): it
 * writes exactly the bytes it is given, keeps a timed record of what comes back, and lets
 * a check wait for a response or the close. Writes and waits have deadlines and never
 * throw: outcomes are data, for the failure message. Deadlines not given are quiet-machine
 * defaults stretched by the pace (pace.ts); one a check passes is used as given (scaled() there).
 */
import type net from 'node:net';
import { describeMs, scaled } from '../_harness/pace.ts';
import { ResponseParser, type RawResponse } from './response-parser.ts';
import { slowUpload, type PumpOptions, type PumpOutcome } from './slow-upload.ts';

export type Waited<T> =
  | { readonly ok: true; readonly value: T; readonly afterMs: number }
  | { readonly ok: false; readonly got: string; readonly afterMs: number };

export interface WriteOutcome {
  readonly ok: boolean;
  readonly atMs: number;
  /** When not ok: what went wrong, in words. */
  readonly got?: string;
}

const DEFAULT_WAIT_MS = 2000;
const DEFAULT_WRITE_WITHIN_MS = 2000;
/** Enough of the received bytes to quote back; the parsed body is kept in full. */
const TRANSCRIPT_LIMIT = 16 * 1024;

export class RawConnection {
  /** What happened, as readable lines ("120 ms: response 1 headers: 200 OK"), for a failure message. */
  readonly timeline: string[] = [];
  bytesReceived = 0;
  /** When the server sent FIN. */
  serverEndedAtMs?: number;
  /** When the socket closed, by either side. */
  closedAtMs?: number;
  /** How the socket failed (ECONNRESET...). */
  closeError?: string;
  /** The first bytes received, as latin1 text, for quoting. */
  received = '';
  private readonly parser = new ResponseParser((event) => this.note(event));
  private readonly listeners = new Set<() => void>();
  private readonly lifetime: NodeJS.Timeout;

  constructor(
    readonly socket: net.Socket,
    private readonly startedAt: number,
    lifetimeMs: number,
    /** Called with the first bytes written, so a later failure can name the request (last-request.ts). */
    private onFirstWrite?: (data: string | Buffer) => void,
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

  /** The responses so far, in order; several when requests were pipelined. */
  get responses(): RawResponse[] {
    return this.parser.responses;
  }

  /** The bytes received were not an HTTP/1.1 response: what was wrong. */
  get protocolError(): string | undefined {
    return this.parser.protocolError;
  }

  /** Milliseconds since openRaw was called. */
  now(): number {
    return Math.round(performance.now() - this.startedAt);
  }

  get isClosed(): boolean {
    return this.closedAtMs !== undefined;
  }

  /** Response #index answers a HEAD: it has no body. */
  expectNoBody(index: number): void {
    this.parser.expectNoBody(index);
  }

  /** Ok once the bytes are handed to the OS; not ok if the connection failed, or the OS would not take them in time (the server stopped reading). */
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
      // slow-upload.ts tells a stall from a failure by "did not take": keep the words.
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
        settle({ ok: true, atMs: this.now() });
      });
    });
  }

  /** A slow upload: see slow-upload.ts. */
  pump(options: PumpOptions): Promise<PumpOutcome> {
    return slowUpload(this, options);
  }

  /** FIN: "I have nothing more to send", still reading. */
  halfClose(): void {
    if (!this.socket.destroyed) this.socket.end();
    this.note('the client ended its side (FIN)');
  }

  /** RST: the client vanishes mid-request (an aborted upload). */
  reset(): void {
    if (this.socket.destroyed) return;
    this.note('the client reset the connection (RST)');
    // resetAndDestroy sends RST instead of FIN: the server sees ECONNRESET, as when a client process dies.
    if (typeof this.socket.resetAndDestroy === 'function') this.socket.resetAndDestroy();
    else this.socket.destroy();
  }

  /** Quiet local close; idempotent; withRaw calls it for you. */
  destroy(): void {
    clearTimeout(this.lifetime);
    if (!this.socket.destroyed) this.socket.destroy();
  }

  /** The status line and headers of response #index. */
  headers(index = 0, withinMs = scaled(DEFAULT_WAIT_MS)): Promise<Waited<RawResponse>> {
    return this.waitFor(() => this.responses[index], withinMs, `no ${ordinal(index)}response headers`);
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
    return this.waitFor(() => this.closedAtMs, withinMs, 'the connection did not close');
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

  /** Resolves after `ms`, or earlier if `wake()` holds when bytes arrive or the socket closes. */
  sleepUnless(ms: number, wake: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      const check = () => {
        if (wake()) done();
      };
      const timer = setTimeout(done, ms);
      this.listeners.add(check);
    });
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
    this.parser.push(data, atMs);
    this.changed();
  }

  private onClose(): void {
    this.closedAtMs = this.now();
    clearTimeout(this.lifetime);
    this.parser.closed(this.closedAtMs);
    this.note(`the connection closed${this.closeError ? ` (${this.closeError})` : ''}`);
    this.changed();
  }
}

function ordinal(index: number): string {
  return index === 0 ? '' : `#${index + 1} `;
}
