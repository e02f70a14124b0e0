/**
 * Where the installed package lives. Everything the course ships (phases/, solutions/,
 * checks/) is found relative to this file, never relative to the learner's folder:
 * under npx the package sits in a cache directory far from where the learner works.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** src/course/paths.ts → the package root two levels up. */
export const packageRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CourseDirs {
  readonly root: string;
  readonly phases: string;
  readonly solutions: string;
  readonly checks: string;
}

/** The content folders of a course rooted at `root` (tests point this at a fixture copy). */
export function courseDirs(root: string = packageRoot): CourseDirs {
  return {
    root,
    phases: join(root, 'phases'),
    solutions: join(root, 'solutions'),
    checks: join(root, 'checks'),
  };
}

interface PackageManifest {
  readonly version: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

let manifest: PackageManifest | undefined;

/** Our own package.json: the version printed by --version and recorded as courseVersion. */
export function packageManifest(): PackageManifest {
  manifest ??= JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as PackageManifest;
  return manifest;
}
