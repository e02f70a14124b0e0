/**
 * A series of numbers as one line of block characters ("▁▂▃▅▇█"): a failure message can
 * then show a shape (memory flat for a stream, a ramp for a buffer) instead of only
 * telling it. Pure; no colour, so it reads the same in a terminal, JSON, JUnit or CSV.
 */

const BARS = '▁▂▃▄▅▆▇█';

export interface SparklineRange {
  /** The value drawn as ▁ (default: the smallest value). */
  readonly min?: number;
  /** The value drawn as █ (default: the largest value). */
  readonly max?: number;
}

/**
 * `values` as at most `width` bars, oldest first. Longer series are resampled into `width`
 * buckets of consecutive values, each drawn at its mean; shorter ones get one bar a value
 * (nothing is invented between samples). Without a `range`, the smallest value is ▁ and the
 * largest █, so any wobble looks like a ramp: pass a range to draw a small change small
 * (memory against the size of the file it must not hold). Values outside the range are
 * clamped; non-finite values are dropped; an empty series is "".
 */
export function sparkline(values: readonly number[], width = 24, range: SparklineRange = {}): string {
  const finite = values.filter((value) => Number.isFinite(value));
  const slots = Math.max(1, Math.floor(width));
  if (finite.length === 0) return '';
  const points = finite.length <= slots ? finite : resample(finite, slots);
  const min = range.min ?? Math.min(...finite);
  const max = range.max ?? Math.max(...finite);
  const span = max - min;
  return points
    .map((value) => {
      if (!(span > 0)) return BARS[0];
      const share = Math.min(1, Math.max(0, (value - min) / span));
      return BARS[Math.round(share * (BARS.length - 1))];
    })
    .join('');
}

/** `values` as `buckets` means of consecutive runs (the runs differ in length by at most one). */
function resample(values: readonly number[], buckets: number): number[] {
  const out: number[] = [];
  for (let bucket = 0; bucket < buckets; bucket++) {
    const from = Math.floor((bucket * values.length) / buckets);
    const to = Math.floor(((bucket + 1) * values.length) / buckets);
    let sum = 0;
    for (let i = from; i < to; i++) sum += values[i]!;
    out.push(sum / (to - from));
  }
  return out;
}
