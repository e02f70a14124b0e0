/**
 * Which checks produced a grade. A results file that says "7/10" is only comparable with
 * another "7/10" when both came from the same checks: a course update that tightens one
 * check changes grades without any student changing a line. So every machine-readable
 * report carries the package version and a sha256 over the check code and the phase
 * definitions; two grades with the same hash were produced by the same checks.
 *
 * The hash covers every file under checks/ (the harness too: a changed deadline there
 * changes outcomes) and every phases/<id>/phase.json (it names the check groups), read in
 * sorted relative-path order. Each file's path and size go into the hash before its
 * bytes, so renaming or moving a file, or shifting bytes from one file to the next,
 * changes the hash as well.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../course/paths.ts';

export interface SuiteInfo {
  readonly name: 'learn-node-http';
  /** The version in the package's package.json. */
  readonly version: string;
  /** sha256 (hex) over checks/** and phases/<id>/phase.json. */
  readonly checksSha256: string;
}

const computed = new Map<string, SuiteInfo>();

/** The suite identity of the package at `packageRoot`, computed once per process and root. */
export function suiteInfo(packageRoot: string): SuiteInfo {
  let info = computed.get(packageRoot);
  if (info === undefined) {
    info = computeSuiteInfo(packageRoot);
    computed.set(packageRoot, info);
  }
  return info;
}

/** The suite of the installed package: what reports carry unless a caller grades another course root. */
export function installedSuite(): SuiteInfo {
  return suiteInfo(packageRoot);
}

/** The same, read from disk every time (tests use it to see a changed check change the hash). */
export function computeSuiteInfo(packageRoot: string): SuiteInfo {
  return Object.freeze({ name: 'learn-node-http', version: readVersion(packageRoot), checksSha256: hashSuiteFiles(packageRoot) });
}

/** The files the hash covers, as sorted package-relative paths with forward slashes. */
export function suiteFiles(packageRoot: string): string[] {
  const files = filesUnder(packageRoot, 'checks');
  const phasesDir = join(packageRoot, 'phases');
  if (existsSync(phasesDir)) {
    for (const entry of readdirSync(phasesDir, { withFileTypes: true })) {
      if (entry.isDirectory() && existsSync(join(phasesDir, entry.name, 'phase.json'))) files.push(`phases/${entry.name}/phase.json`);
    }
  }
  // Plain code-unit order, not localeCompare: the same on every machine and locale.
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function hashSuiteFiles(packageRoot: string): string {
  const hash = createHash('sha256');
  for (const relative of suiteFiles(packageRoot)) {
    const bytes = readFileSync(join(packageRoot, ...relative.split('/')));
    hash.update(`${relative}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

function filesUnder(root: string, relative: string): string[] {
  const dir = join(root, ...relative.split('/'));
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${relative}/${entry.name}`;
    if (entry.isDirectory()) out.push(...filesUnder(root, path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

function readVersion(packageRoot: string): string {
  try {
    const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : 'unknown';
  } catch {
    // A fixture course (tests) has no package.json; the hash still identifies its checks.
    return 'unknown';
  }
}
