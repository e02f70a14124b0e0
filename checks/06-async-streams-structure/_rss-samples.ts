/**
 * The server's resident memory over time, for a failure message to draw (_sparkline.ts):
 * a stream stays flat, a buffer ramps up by the size of the file. Only observes: the
 * verdicts keep using RunningServer.peakRssBytes().
 *
 * On Linux it reads VmRSS from /proc/<pid>/status (the resident memory now, the same
 * source memory-watch.ts samples; a read costs microseconds and nothing in the server).
 * Elsewhere it asks the preload over IPC for the peak so far (peakRssBytes): a series that
 * can only rise, still flat for a stream and a ramp for a buffer.
 */
import { readFile } from 'node:fs/promises';
import { sparkline } from './_sparkline.ts';
import type { RunningServer } from '../_harness/start-server.ts';

const MB = 1024 * 1024;
export const RSS_SAMPLE_EVERY_MS = 100;

export interface RssSeries {
  /** Resident memory in bytes, oldest first, one every `everyMs` (give or take a busy event loop). */
  readonly bytes: readonly number[];
  readonly everyMs: number;
  /** From the first sample to the last, in ms. */
  readonly spanMs: number;
  /** 'current' (VmRSS, Linux) or 'peak' (the peak so far, elsewhere). */
  readonly kind: 'current' | 'peak';
}

export interface RssSampler {
  /** Takes a last sample, stops, and returns the series (the same one on every call). */
  stop(): Promise<RssSeries>;
}

/** Samples the server's resident memory every `everyMs` until stop(). Never throws. */
export function sampleRss(server: RunningServer, everyMs = RSS_SAMPLE_EVERY_MS): RssSampler {
  const viaProc = process.platform === 'linux';
  const bytes: number[] = [];
  const startedAt = performance.now();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let pending: Promise<void> = Promise.resolve();

  const read = async (): Promise<number | undefined> => {
    try {
      if (viaProc) {
        const kb = /^VmRSS:\s+(\d+) kB/m.exec(await readFile(`/proc/${server.pid}/status`, 'latin1'))?.[1];
        return kb === undefined ? undefined : Number(kb) * 1024;
      }
      if (server.exit) return undefined;
      return await server.peakRssBytes();
    } catch {
      return undefined; // the process is gone, or the IPC answer did not come: a gap, not an error
    }
  };
  const sample = async (): Promise<void> => {
    const value = await read();
    if (value !== undefined) bytes.push(value);
  };
  // One sample at a time: the next is scheduled when the last is in, so a slow read cannot pile up.
  const loop = (): void => {
    pending = sample().then(() => {
      if (!stopped) timer = setTimeout(loop, everyMs);
    });
  };
  loop();

  let result: Promise<RssSeries> | undefined;
  return {
    stop() {
      result ??= (async () => {
        stopped = true;
        clearTimeout(timer);
        await pending;
        await sample();
        return { bytes, everyMs, spanMs: Math.round(performance.now() - startedAt), kind: viaProc ? 'current' : 'peak' } as const;
      })();
      return result;
    },
  };
}

/**
 * One line: "server memory (RSS) over the download (2.1 s): ▁▁▂▄▆███ 61 MB → 318 MB at its peak
 * (file: 256 MB)", `during` naming the stretch sampled.
 * Drawn from the lowest sample up to at least that plus the file's size, so a stream's few
 * tens of MB stay low bars and holding the file reaches the top. "" with fewer than two samples.
 */
export function rssSparkline(series: RssSeries, fileBytes: number, during: string, width = 24): string {
  if (series.bytes.length < 2) return '';
  const low = Math.min(...series.bytes);
  const peak = Math.max(...series.bytes);
  const line = sparkline(series.bytes, width, { min: low, max: Math.max(peak, low + fileBytes) });
  const what = series.kind === 'current' ? 'server memory (RSS)' : 'server peak memory (max RSS so far)';
  return `${what} ${during} (${(series.spanMs / 1000).toFixed(1)} s): ${line} ${mb(series.bytes[0]!)} → ${mb(peak)} at its peak (file: ${mb(fileBytes)})`;
}

function mb(bytes: number): string {
  return `${Math.round(bytes / MB)} MB`;
}
