/**
 * How fast this machine is running right now, so that deadlines which judge a learner's
 * server stretch on a busy machine instead of blaming correct code for the machine's load.
 *
 * What is measured: a tiny fixed CPU probe in the check process. It runs the same small
 * piece of arithmetic PROBE_CHUNKS times in a row and times each run. The fastest run is
 * what one run costs when this thread has a core to itself (a run of ~0.3 ms is rarely
 * preempted, even on a machine oversubscribed several times over); the whole probe's wall
 * time divided by (fastest run × runs) is then how many times slower than that the thread
 * is progressing right now, i.e. how big a share of a core a runnable thread gets. The
 * learner's server is just another runnable process on the same cores, so it is slowed by
 * about as much. The probe calibrates itself (no baseline number that would be wrong on a
 * faster or slower CPU), needs no /proc, and costs ~4 ms of CPU on a quiet machine.
 *
 * Measured on the 2-core reference machine: quiet 1.0-1.2; 4 busy loops 2.6-3.5; 8 busy
 * loops (4.5 runnable threads per core) 4.2-6.0 with the odd 15 when a probe lands badly,
 * hence the median of the last few probes rather than the last one.
 *
 * A probe result is reused for REUSE_MS, and the factor is the median of the probes of the
 * last WINDOW_MS: one unlucky probe neither stretches nor shrinks a deadline on its own.
 * The factor is clamped to 1..MAX_FACTOR, so a hang is still reported within a bounded
 * time (2000 ms becomes at most 16 s). LEARN_NODE_HTTP_PACE=<number> fixes the factor
 * (tests; a grader that prefers fixed deadlines sets 1).
 *
 * Convention: harness defaults are scaled inside the harness; a check that passes its own
 * deadline to a helper wraps it in scaled() itself (helpers never scale a number they are
 * given, so nothing is stretched twice). describeMs() turns a deadline back into words for
 * a failure message, naming the quiet deadline and the stretch when there was one.
 */

/** Probe runs; their median over the window is the factor. */
const PROBE_CHUNKS = 12;
/** Arithmetic per chunk: ~0.3 ms on the reference machine, short enough to run unpreempted. */
const CHUNK_ITERATIONS = 50_000;
const REUSE_MS = 1000;
const WINDOW_MS = 6000;
/** Below this the machine counts as quiet: probe noise must not stretch deadlines or messages. */
const QUIET_BELOW = 1.25;
export const MAX_FACTOR = 8;

interface Probe {
  readonly atMs: number;
  readonly factor: number;
  readonly wallMs: number;
}

const probes: Probe[] = [];
let warmedUp = false;
let sink = 0;

function chunk(): void {
  let x = sink;
  for (let i = 0; i < CHUNK_ITERATIONS; i++) x += Math.sqrt(i + x * 1e-9);
  // Kept, so the optimiser cannot drop the loop.
  sink = x % 7;
}

/** One probe: wall time of the chunks against the fastest chunk times their count. */
function probe(): Probe {
  if (!warmedUp) {
    // The first runs are interpreted and then compiled: time them, and the probe says "busy".
    for (let i = 0; i < 8; i++) chunk();
    warmedUp = true;
  }
  let fastest = Number.POSITIVE_INFINITY;
  const started = performance.now();
  for (let i = 0; i < PROBE_CHUNKS; i++) {
    const before = performance.now();
    chunk();
    fastest = Math.min(fastest, performance.now() - before);
  }
  const wallMs = performance.now() - started;
  const factor = fastest > 0 ? wallMs / (fastest * PROBE_CHUNKS) : 1;
  return { atMs: performance.now(), factor, wallMs };
}

function fixedFactor(): number | undefined {
  const fixed = Number(process.env.LEARN_NODE_HTTP_PACE);
  return process.env.LEARN_NODE_HTTP_PACE && Number.isFinite(fixed) && fixed > 0 ? clamp(fixed) : undefined;
}

function clamp(factor: number): number {
  if (!(factor >= QUIET_BELOW)) return 1;
  return Math.min(MAX_FACTOR, Math.round(factor * 10) / 10);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** How many times slower than a quiet machine this one runs right now (always >= 1). */
export function paceFactor(): number {
  const fixed = fixedFactor();
  if (fixed !== undefined) return fixed;
  const now = performance.now();
  while (probes.length > 0 && now - probes[0]!.atMs > WINDOW_MS) probes.shift();
  const last = probes.at(-1);
  if (!last || now - last.atMs > REUSE_MS) probes.push(probe());
  return clamp(median(probes.map((p) => p.factor)));
}

/** What the factor rests on, for reports and tests. */
export function paceReport(): { readonly factor: number; readonly probes: readonly { readonly factor: number; readonly wallMs: number; readonly ageMs: number }[] } {
  const factor = paceFactor();
  const now = performance.now();
  return {
    factor,
    probes: probes.map((p) => ({ factor: Math.round(p.factor * 100) / 100, wallMs: Math.round(p.wallMs * 10) / 10, ageMs: Math.round(now - p.atMs) })),
  };
}

/** Deadlines handed out by scaled(), so describeMs can say what they were stretched from. */
const stretched = new Map<number, { readonly quietMs: number; readonly factor: number }>();
const REMEMBERED = 256;

export interface ScaledOptions {
  /** Never more than this (a check's own timeout must still leave room for its report). */
  readonly atMostMs?: number;
}

/** A deadline of `quietMs` on a quiet machine, stretched by the measured pace. */
export function scaled(quietMs: number, options: ScaledOptions = {}): number {
  const factor = paceFactor();
  let ms = Math.round(quietMs * factor);
  if (options.atMostMs !== undefined) ms = Math.max(quietMs, Math.min(ms, options.atMostMs));
  if (ms !== quietMs) {
    stretched.delete(ms);
    stretched.set(ms, { quietMs, factor: ms / quietMs });
    if (stretched.size > REMEMBERED) stretched.delete(stretched.keys().next().value!);
  }
  return ms;
}

/**
 * A deadline in words for a failure message: "2000 ms" on a quiet machine, "5400 ms (2000 ms
 * stretched ×2.7 because this machine is busy, the checks' own work included)" when scaled()
 * stretched it. The checks' own servers and workers load the machine too, so a learner who
 * sees a stretch on an idle machine is told why.
 */
export function describeMs(ms: number): string {
  const from = stretched.get(ms);
  if (!from) return `${ms} ms`;
  return `${ms} ms (${from.quietMs} ms stretched ×${Math.round(from.factor * 10) / 10} because this machine is busy, the checks' own work included)`;
}
