/**
 * A learner's server the checks started (start-server.ts), and what its preload
 * (server-preload.mjs) reports about it over IPC: the ports it listens on, the requests
 * it starts handling, late writes to finished responses, and its peak memory on request.
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { describeExit } from '../_client/http.ts';
import type { ChildHandle, ExitInfo } from '../_process/processes.ts';
import { fail, InfraError } from './failures.ts';
import { scaled } from './pace.ts';

/** A writeHead()/write()/end() on a response that had already ended or lost its client (via the preload). */
export interface LateWrite {
  readonly method: string;
  readonly url: string;
  readonly call: 'writeHead' | 'write' | 'end';
  /** "after end()" or "after the connection closed". */
  readonly state: string;
  /** Up to three frames from the learner's files, innermost first. */
  readonly where: string;
}

export class RunningServer {
  /** Every port the process reported listening on (via the preload). */
  readonly listenedPorts: { port: number; address: string }[] = [];
  /** Requests the server has started handling, in order (via the preload). */
  readonly receivedRequests: { method: string; url: string }[] = [];
  /**
   * Writes to responses that had already ended or whose client had left (via the
   * preload): Node drops most of them silently, so this is the only way to see them.
   */
  readonly lateWrites: LateWrite[] = [];
  private readonly requestListeners = new Set<() => void>();
  private rssRequests = 0;
  private readonly rssWaiters = new Map<number, (kb: number) => void>();
  host = '127.0.0.1';

  constructor(
    readonly proc: ChildHandle,
    readonly port: number,
    /** How to run it by hand, for failure messages: "PORT=3000 npx tsx main.ts". */
    readonly commandLine: string,
    readonly entryName: string,
    /** The learner's phase folder this server was started from (where it may write). */
    readonly folder: string,
  ) {
    proc.child.on('message', (message: unknown) => this.onMessage(message));
  }

  get origin(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  get pid(): number {
    return this.proc.pid;
  }

  get exit(): ExitInfo | undefined {
    return this.proc.exit;
  }

  tail(lines = 15): string {
    return this.withoutPreloadFrames(this.proc.tail(lines));
  }

  signal(signal: NodeJS.Signals): void {
    this.proc.signal(signal);
  }

  stop(): Promise<void> {
    return this.proc.stop();
  }

  /**
   * The output without traces of the harness's own preload (server-preload.mjs): its stack
   * frames, and the "file:line / source line / caret" header Node prints above an uncaught
   * error when the preload's wrapper is where it was rethrown. The learner's frames stay.
   */
  private withoutPreloadFrames(text: string): string {
    const lines = text.split('\n');
    const kept: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (/^\s*at .*server-preload\.mjs/.test(line)) continue;
      if (/server-preload\.mjs:\d+$/.test(line.trim())) {
        // The source line and the caret under it; then the blank line before the error.
        if (/^\s*\^+\s*$/.test(lines[i + 2] ?? '')) i += 2;
        if ((lines[i + 1] ?? '').trim() === '') i += 1;
        continue;
      }
      kept.push(line);
    }
    return kept.join('\n');
  }

  /**
   * Peak resident memory of the server process so far, in bytes (getrusage maxRSS,
   * reported by the preload). Linux /proc VmHWM is the fallback if IPC fails.
   */
  async peakRssBytes(): Promise<number> {
    const id = ++this.rssRequests;
    const viaIpc = new Promise<number>((resolve) => this.rssWaiters.set(id, resolve));
    try {
      this.proc.child.send({ type: 'learn-node-http:peak-rss?', id });
      const kb = await Promise.race([viaIpc, delay(scaled(2000)).then(() => undefined)]);
      if (kb !== undefined) return kb * 1024;
    } catch {
      // fall through to /proc
    } finally {
      this.rssWaiters.delete(id);
    }
    const fromProc = await procPeakRssBytes(this.pid);
    if (fromProc !== undefined) return fromProc;
    if (this.exit) {
      fail({
        expected: 'the server to keep running while the check measures its memory',
        got: `the server process ${describeExit(this.exit)}`,
        means: 'it crashed (often when a client hung up mid-download and the stream error went unhandled): the first error in its output is the cause',
        serverOutput: this.tail(),
      });
    }
    throw new InfraError(`Could not read the server's peak memory (pid ${this.pid}): no IPC answer and no /proc.`);
  }

  /**
   * Resolves true once the server has started handling a request for `path` (its
   * request listener is running), false after `withinMs`.
   */
  waitForRequest(path: string, withinMs: number): Promise<boolean> {
    const seen = () => this.receivedRequests.some((r) => r.url === path || r.url.startsWith(`${path}?`));
    if (seen()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (found: boolean) => {
        clearTimeout(timer);
        this.requestListeners.delete(check);
        resolve(found);
      };
      const check = () => seen() && done(true);
      const timer = setTimeout(() => done(seen()), withinMs);
      this.requestListeners.add(check);
    });
  }

  private onMessage(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const m = message as { type?: string; id?: number; maxRssKb?: number; port?: number; address?: string };
    if (m.type === 'learn-node-http:peak-rss' && typeof m.id === 'number' && typeof m.maxRssKb === 'number') {
      this.rssWaiters.get(m.id)?.(m.maxRssKb);
    } else if (m.type === 'learn-node-http:request') {
      const r = message as { method?: unknown; url?: unknown };
      this.receivedRequests.push({ method: String(r.method), url: String(r.url) });
      for (const listener of this.requestListeners) listener();
    } else if (m.type === 'learn-node-http:late-write') {
      const w = message as Partial<Record<keyof LateWrite, unknown>>;
      const call = w.call === 'writeHead' || w.call === 'write' ? w.call : 'end';
      this.lateWrites.push({ method: String(w.method), url: String(w.url), call, state: String(w.state), where: String(w.where) });
    } else if (m.type === 'learn-node-http:listening' && typeof m.port === 'number') {
      this.listenedPorts.push({ port: m.port, address: m.address ?? '' });
      // A server bound to ::1 only (listen(port, 'localhost') on some systems) is reached there.
      if (m.port === this.port && m.address === '::1' && !this.reachablePorts().some((p) => p.address !== '::1')) this.host = '::1';
    }
  }

  /** Reported listens on our port at an address the checks connect to (loopback or every interface). */
  reachablePorts(): { port: number; address: string }[] {
    return this.listenedPorts.filter((p) => p.port === this.port && REACHABLE_ADDRESSES.has(p.address));
  }
}

/** Addresses a connection to 127.0.0.1 (or [::1]) reaches: loopback, or every interface. */
export const REACHABLE_ADDRESSES = new Set(['127.0.0.1', '::1', '0.0.0.0', '::', '::ffff:127.0.0.1', '']);

async function procPeakRssBytes(pid: number): Promise<number | undefined> {
  if (process.platform !== 'linux') return undefined;
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
