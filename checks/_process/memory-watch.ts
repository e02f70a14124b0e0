/**
 * A ceiling on the resident memory of each launched process group: the learner's server
 * and everything it started. A submission that allocates without bound would otherwise
 * take the grading machine down with it (or be killed by the kernel's OOM killer, which
 * looks like a bare "killed by SIGKILL" crash and may pick a neighbour instead). Over the
 * limit the whole group is killed, and the handle is told why, so the failure says so.
 *
 * The limit (LEARN_NODE_HTTP_SERVER_MEMORY_MB, default 1024; 0 or "off" disables it) is
 * far above what any check legitimately needs: phase 06's buffering mutants peak at about
 * 300 MB and must be caught by their own memory checks, with a message about streaming,
 * not by this ceiling.
 *
 * Cost: one sampler per worker serves every group it watches, and stops when there is
 * none. On Linux it reads /proc/<pid>/status of the known members every 250 ms, and scans
 * /proc once a second to find the members: the processes in the group, and those that left
 * it (a detached child) but carry the launch's marker in their environment (a whole scan is
 * ~15 µs per process on the machine; proc-table.ts does the reading). Elsewhere on POSIX
 * one `ps -ax -o pgid=,rss=` a second (a process spawn each time, so no more often),
 * counting the group only. Windows: no watch.
 */
import { execFile } from 'node:child_process';
import { procEnviron, procGroup, procPids, procResidentKb } from './proc-table.ts';

export const DEFAULT_MEMORY_LIMIT_MB = 1024;
const SAMPLE_EVERY_MS = 250;
const SCAN_EVERY_MS = 1000;

export interface MemoryExceeded {
  readonly limitMb: number;
  /** Resident memory of the group when it was caught, in MB. */
  readonly rssMb: number;
  /** Milliseconds since the watch started (≈ since the process started). */
  readonly afterMs: number;
}

interface Watched {
  readonly pgid: number;
  readonly limitKb: number;
  readonly startedAt: number;
  /** "NAME=value" in the environment of every process launched for this group (see sweep.ts). */
  readonly marker: string | undefined;
  /** Pids last seen in the group or carrying its marker (the leader at least). */
  members: Set<number>;
  readonly onExceeded: (info: MemoryExceeded) => void;
}

const watched = new Map<number, Watched>();
let timer: NodeJS.Timeout | undefined;
let lastScanAt = 0;
let psBusy = false;

/** The configured limit in MB, or undefined when the watch is off. */
export function memoryLimitMb(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.LEARN_NODE_HTTP_SERVER_MEMORY_MB?.trim();
  if (raw === undefined || raw === '') return DEFAULT_MEMORY_LIMIT_MB;
  if (raw === 'off' || raw === '0') return undefined;
  const mb = Number(raw);
  return Number.isFinite(mb) && mb > 0 ? mb : DEFAULT_MEMORY_LIMIT_MB;
}

/**
 * Watches the process group led by `pgid` until the returned function is called. Over the
 * limit, `onExceeded` runs once and the watch ends; killing is the caller's job (it knows
 * how to kill the group and wants to record why first).
 */
export function watchGroupMemory(
  pgid: number,
  options: { readonly limitMb: number; readonly marker?: string },
  onExceeded: (info: MemoryExceeded) => void,
): () => void {
  if (process.platform === 'win32') return () => {};
  const group = { pgid, limitKb: options.limitMb * 1024, marker: options.marker, startedAt: performance.now(), members: new Set([pgid]), onExceeded };
  watched.set(pgid, group);
  lastScanAt = 0; // find the new group's members at the next tick
  timer ??= setInterval(tick, process.platform === 'linux' ? SAMPLE_EVERY_MS : SCAN_EVERY_MS).unref();
  return () => unwatch(pgid);
}

/** How many groups are being watched (for tests: the sampler must stop with its processes). */
export function watchedGroupCount(): number {
  return watched.size;
}

function unwatch(pgid: number): void {
  watched.delete(pgid);
  if (watched.size === 0 && timer) {
    clearInterval(timer);
    timer = undefined;
  }
}

function tick(): void {
  if (process.platform === 'linux') tickLinux();
  else tickPs();
}

function tickLinux(): void {
  const now = performance.now();
  if (now - lastScanAt >= SCAN_EVERY_MS) {
    lastScanAt = now;
    refreshMembers();
  }
  for (const group of [...watched.values()]) {
    let totalKb = 0;
    for (const pid of group.members) totalKb += procResidentKb(pid) ?? 0;
    check(group, totalKb);
  }
}

/**
 * One pass over /proc: which pids are in the watched groups now. A child that left the
 * group (detached: it called setsid) still carries the marker in its environment, so it
 * still counts.
 */
function refreshMembers(): void {
  const found = new Map<number, Set<number>>([...watched.keys()].map((pgid) => [pgid, new Set<number>()]));
  const markers = [...watched.values()].filter((group) => group.marker !== undefined);
  for (const pid of procPids()) {
    const inGroup = found.get(procGroup(pid) ?? -1);
    if (inGroup) {
      inGroup.add(pid);
      continue;
    }
    if (markers.length === 0) continue;
    const environ = procEnviron(pid) ?? [];
    for (const group of markers) if (environ.includes(group.marker!)) found.get(group.pgid)!.add(pid);
  }
  for (const [pgid, members] of found) {
    const group = watched.get(pgid);
    if (group) group.members = members;
  }
}

/** macOS and other POSIX systems: one `ps` for every watched group. */
function tickPs(): void {
  if (psBusy) return;
  psBusy = true;
  execFile('ps', ['-ax', '-o', 'pgid=,rss='], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
    psBusy = false;
    if (error) return;
    const totals = new Map<number, number>();
    for (const line of stdout.split('\n')) {
      const [pgid, rss] = line.trim().split(/\s+/).map(Number);
      if (pgid !== undefined && rss !== undefined && watched.has(pgid)) totals.set(pgid, (totals.get(pgid) ?? 0) + rss);
    }
    for (const group of [...watched.values()]) check(group, totals.get(group.pgid) ?? 0);
  });
}

function check(group: Watched, totalKb: number): void {
  if (totalKb <= group.limitKb || !watched.has(group.pgid)) return;
  unwatch(group.pgid);
  group.onExceeded({
    limitMb: Math.round(group.limitKb / 1024),
    rssMb: Math.round(totalKb / 1024),
    afterMs: Math.round(performance.now() - group.startedAt),
  });
}
