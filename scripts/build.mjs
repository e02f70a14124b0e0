// `npm pack` runs this first (prepack): the tool's own TypeScript compiled once, so that
// `npx learn-node-http` starts with plain node instead of registering tsx and compiling
// src/ through its hooks at every start (measured on the 2-core machine, Node 20: `--help`
// 0.62 s of CPU from source, 0.16 s from the build).
//
// Output: dist/cli/, two levels below the package root exactly like src/course/ and
// src/runner/, so every path those files compute from import.meta.url ("../../" for the
// package root, "./submission-worker.mjs" and "./reaper.mjs" beside them) holds in the
// bundle too. Packages stay external (they are installed beside us). bin/learn-node-http.js
// starts dist/cli/main.mjs when it exists, src/main.ts under tsx otherwise.
//
// `node scripts/build.mjs --clean` removes dist/ (postpack): a build left in a checkout
// would be started instead of the sources being edited.
import { copyFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;

rmSync(dist, { recursive: true, force: true });
if (!process.argv.includes('--clean')) {
  await build({
    absWorkingDir: root,
    entryPoints: [
      { in: 'src/main.ts', out: 'main' },
      // The grading child of a batch; in the sources, a .mjs that registers tsx first.
      { in: 'src/grading/submission-worker.ts', out: 'submission-worker' },
    ],
    outdir: 'dist/cli',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  // Started as its own process (src/interrupt.ts), found beside the code that starts it.
  copyFileSync(`${root}src/reaper.mjs`, `${dist}/cli/reaper.mjs`);
}
