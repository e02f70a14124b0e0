/**
 * The memory sparkline of phase 06's streaming checks: a series as one line of ▁…█, and the
 * RSS line built on it (flat for a stream, a ramp for a buffer, next to the file's size).
 */
import { describe, expect, it } from 'vitest';
import { rssSparkline, type RssSeries } from '../../checks/06-async-streams-structure/_rss-samples.ts';
import { sparkline } from '../../checks/06-async-streams-structure/_sparkline.ts';

const MB = 1024 * 1024;

describe('sparkline', () => {
  it('draws a rising series from ▁ to █, one bar a value when it fits', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([7, 0])).toBe('█▁');
  });

  it('resamples a long series into `width` buckets, each at its mean', () => {
    const ramp = Array.from({ length: 240 }, (_, i) => i);
    const line = sparkline(ramp, 8);
    expect([...line]).toHaveLength(8);
    expect(line).toBe('▁▂▃▄▅▆▇█');
    // Two buckets of [0,0,10,10] and [10,10,10,10]: means 5 and 10 on a 0..10 scale.
    expect(sparkline([0, 0, 10, 10, 10, 10, 10, 10], 2)).toBe('▅█');
    expect([...sparkline(ramp)]).toHaveLength(24);
  });

  it('is flat when nothing changes, and empty for no values', () => {
    expect(sparkline([5, 5, 5])).toBe('▁▁▁');
    expect(sparkline([])).toBe('');
    expect(sparkline([Number.NaN, Number.POSITIVE_INFINITY])).toBe('');
  });

  it('keeps a small change small against a fixed range, and clamps outside it', () => {
    expect(sparkline([60, 62, 65, 70], 24, { min: 60, max: 316 })).toBe('▁▁▁▁');
    expect(sparkline([0, 50, 200], 24, { min: 0, max: 100 })).toBe('▁▅█');
    expect(sparkline([-10, 0], 24, { min: 0, max: 100 })).toBe('▁▁');
  });

  it('drops non-finite values and treats a width below one as one', () => {
    expect(sparkline([0, Number.NaN, 7])).toBe('▁█');
    expect([...sparkline([1, 2, 3, 4], 0)]).toHaveLength(1);
  });
});

describe('rssSparkline', () => {
  const series = (mbs: number[], kind: RssSeries['kind'] = 'current'): RssSeries => ({ bytes: mbs.map((mb) => mb * MB), everyMs: 100, spanMs: (mbs.length - 1) * 100, kind });

  it('shows a buffer as a ramp up by the size of the file, with start, peak and file size', () => {
    expect(rssSparkline(series([60, 60, 120, 200, 316, 316]), 256 * MB, 'over the download')).toBe(
      'server memory (RSS) over the download (0.5 s): ▁▁▃▅██ 60 MB → 316 MB at its peak (file: 256 MB)',
    );
  });

  it('shows a stream as flat: its growth is drawn against the file size', () => {
    expect(rssSparkline(series([60, 80, 92, 95, 94]), 256 * MB, 'over the download')).toBe(
      'server memory (RSS) over the download (0.4 s): ▁▂▂▂▂ 60 MB → 95 MB at its peak (file: 256 MB)',
    );
  });

  it('says when the series is the peak so far (no /proc), and is empty with fewer than two samples', () => {
    expect(rssSparkline(series([60, 316], 'peak'), 256 * MB, 'over the download')).toMatch(/^server peak memory \(max RSS so far\) over the download/);
    expect(rssSparkline(series([60]), 256 * MB, 'over the download')).toBe('');
  });
});
