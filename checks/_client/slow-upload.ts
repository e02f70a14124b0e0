/**
 * "A slow upload" in one call (conn.pump): writes piece after piece until there is nothing
 * more, a response starts, the connection fails, a write stalls, or time is up, and says
 * how much went out and why it stopped. Phase 02 uses it for the body limit (does the 413
 * come while the client is still sending?) and for memory under a firehose upload.
 *
 * Between pieces it lets the event loop read first: a write that fails (the server reset
 * the connection) makes Node drop the socket, and with it any response bytes not read yet.
 * So pace uploads whose answer you need to see; everyMs: 0 is for when only the server matters.
 */
import { scaled } from '../_harness/pace.ts';

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
  readonly got?: string;
}

/** What pumping needs of a connection (raw-connection.ts provides it). */
export interface Pumpable {
  readonly responses: readonly unknown[];
  readonly isClosed: boolean;
  /** Not ok with a `got` that says "did not take" when the OS would not accept the bytes in time. */
  write(data: string | Buffer, options: { withinMs: number }): Promise<{ readonly ok: boolean; readonly got?: string }>;
  /** Resolves after `ms`, or earlier if `wake()` holds when bytes arrive or the socket closes. */
  sleepUnless(ms: number, wake: () => boolean): Promise<void>;
}

/** Quiet-machine stall deadline (the same as a write's default), stretched by the pace. */
const DEFAULT_STALL_MS = 2000;

export async function slowUpload(conn: Pumpable, options: PumpOptions): Promise<PumpOutcome> {
  const started = performance.now();
  const stopOnResponse = options.stopOnResponse ?? true;
  const answered = () => stopOnResponse && conn.responses.length > 0;
  let pieces = 0;
  let bytes = 0;
  const outcome = (stoppedBecause: PumpOutcome['stoppedBecause'], got?: string): PumpOutcome => ({ pieces, bytes, stoppedBecause, got });
  for (let i = 0; ; i++) {
    if (answered()) return outcome('response');
    if (conn.isClosed) return outcome('closed');
    if (performance.now() - started >= options.forMs) return outcome('time');
    const piece = options.next(i);
    if (piece === undefined) return outcome('done');
    // Let one poll phase run first: a response (and a reset right behind it) that arrived
    // during the pause is read before this write can fail and take the socket down with it.
    await new Promise((resolve) => setImmediate(resolve));
    if (answered()) return outcome('response');
    if (conn.isClosed) return outcome('closed');
    const written = await conn.write(piece, { withinMs: options.stallMs ?? scaled(DEFAULT_STALL_MS) });
    if (!written.ok) {
      if (conn.isClosed) return outcome('closed', written.got);
      return outcome(/did not take/.test(written.got ?? '') ? 'stalled' : 'write-failed', written.got);
    }
    pieces++;
    bytes += typeof piece === 'string' ? Buffer.byteLength(piece) : piece.length;
    if (options.everyMs > 0) await conn.sleepUnless(options.everyMs, () => answered() || conn.isClosed);
  }
}
