/**
 * One Markdown table for every measurement, ready to paste into the README:
 * measurement, median, range, aim, and whether the median met the aim. Rows without an
 * aim are breakdowns (where the time of the row above goes) and say so.
 */
import { median } from './stats.ts';

export interface Measurement {
  readonly name: string;
  readonly samples: readonly number[];
  /** '/min': a rate (submissions graded per minute); '×': a ratio (verify against its floor). */
  readonly unit: 's' | 'MB' | '/min' | '×';
  /** The median must stay under this to meet the aim; none for breakdown rows. */
  readonly under?: number;
}

/** What a benchmark section hands back: its table rows and the raw data for latest.json. */
export interface SectionResult {
  readonly rows: readonly Measurement[];
  readonly raw: unknown;
  /** Measurements this machine could not make, each a sentence saying why (see BenchRefusal). */
  readonly skipped?: readonly string[];
}

/** A section that cannot measure on this machine says why in one sentence (no stack). */
export class BenchRefusal extends Error {}

export function markdownTable(rows: readonly Measurement[]): string {
  const lines = ['| measurement | median | range | aim | met? |', '| --- | ---: | ---: | ---: | --- |'];
  for (const row of rows) {
    const middle = median(row.samples);
    const aim = row.under === undefined ? '(breakdown)' : `under ${format(row.under, row.unit)}`;
    // Judged on the figure as printed: a median shown as "1.00 s" does not meet "under 1.00 s".
    const met = row.under === undefined ? '' : Number(format(middle, row.unit).split(' ')[0]) < row.under ? 'met' : '**missed**';
    lines.push(`| ${row.name} | ${format(middle, row.unit)} | ${spread(row.samples, row.unit)} | ${aim} | ${met} |`);
  }
  return lines.join('\n');
}

function format(value: number, unit: Measurement['unit']): string {
  return `${value.toFixed(DIGITS[unit])} ${unit}`;
}

const DIGITS: Record<Measurement['unit'], number> = { s: 2, MB: 0, '/min': 1, '×': 1 };

function spread(samples: readonly number[], unit: Measurement['unit']): string {
  const digits = DIGITS[unit];
  const low = Math.min(...samples).toFixed(digits);
  const high = Math.max(...samples).toFixed(digits);
  return samples.length === 1 ? `${low} ${unit} (1 run)` : `${low}–${high} ${unit}`;
}
