/**
 * The one reader of Linux's /proc for the isolation layer: the sweep (sweep.ts) looks for a
 * marker in each process's environment, the memory watch (memory-watch.ts) for the members of
 * a process group and their resident memory. Every read is of a process that may exit between
 * the listing and the read, or belong to another user: such a read gives `undefined`, never
 * an exception. Elsewhere there is no /proc, and `procPids()` is empty.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The pids /proc lists now (its numeric entries). */
export function procPids(): number[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  return names.filter((name) => name.charCodeAt(0) >= 48 && name.charCodeAt(0) <= 57).map(Number);
}

/** The process group of `pid`, from /proc/<pid>/stat. */
export function procGroup(pid: number): number | undefined {
  const stat = readProc(pid, 'stat');
  // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ")".
  return stat === undefined ? undefined : Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ', 3)[2]);
}

/** The "NAME=value" entries of the environment `pid` was started with. */
export function procEnviron(pid: number): string[] | undefined {
  return readProc(pid, 'environ')?.split('\0');
}

/** The resident memory of `pid` in kB (VmRSS in /proc/<pid>/status). */
export function procResidentKb(pid: number): number | undefined {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readProc(pid, 'status') ?? '')?.[1];
  return kb === undefined ? undefined : Number(kb);
}

function readProc(pid: number, file: string): string | undefined {
  try {
    // latin1: a byte per character, so a variable of any encoding cannot break a split.
    return readFileSync(`/proc/${pid}/${file}`, 'latin1');
  } catch {
    return undefined;
  }
}
