#!/usr/bin/env node
// Shim only: check the Node version, then start the tool: dist/cli/main.mjs in the packed
// package (compiled by `npm pack`), else src/main.ts under tsx (src/boot.mjs). Plain
// JavaScript so that it runs (and can explain itself) on any Node, before TypeScript support exists.

const version = process.env.LEARN_NODE_HTTP_TEST_NODE_VERSION || process.versions.node;
const [major, minor] = version.split('.').map(Number);
// Same floor as package.json "engines": ^20.19.0 || >=22.12.0 (vite 8 and undici 7 need it).
const supported = (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major >= 23;

if (!supported) {
  process.stderr.write(
    `learn-node-http needs Node.js 20.19 or newer (on the 22 line: 22.12 or newer); this is Node.js ${version}.\n` +
      'Install a current LTS release from https://nodejs.org (or with nvm: nvm install --lts) and run the command again.\n',
  );
  // The one exit code set outside src/main.ts: main.ts cannot be loaded on an unsupported Node.
  process.exitCode = 2;
} else if (permissionProblem()) {
  process.stderr.write(permissionProblem());
  process.exitCode = 2;
} else if (await tempProblem()) {
  process.stderr.write(await tempProblem());
  process.exitCode = 2;
} else if (await built()) {
  // The packed package: the tool compiled once by `npm pack` (scripts/build.mjs), no tsx.
  process.setSourceMapsEnabled(true);
  const { start } = await import('../dist/cli/main.mjs');
  await start();
} else {
  // A checkout: the sources under tsx. Both plain JavaScript, so that they load before tsx:
  // the commands that run checks import vitest/node before tsx is registered (why: src/boot.mjs).
  const { runsChecks } = await import('../src/commands-that-run-checks.mjs');
  const { registerTypeScript } = await import('../src/boot.mjs');
  await registerTypeScript({ preloadVitest: runsChecks(process.argv.slice(2)) });
  const { start } = await import('../src/main.ts');
  await start();
}

async function built() {
  const { existsSync } = await import('node:fs');
  return existsSync(new URL('../dist/cli/main.mjs', import.meta.url));
}

/**
 * Node's permission model (--permission, or --experimental-permission on Node 20), often
 * switched on from NODE_OPTIONS in the shell, denies what this tool needs: worker threads
 * (tsx compiles our TypeScript in one, and the checks run in them), child processes (your
 * server), writing files (your workspace) and, on Node 25+, the network (the checks' requests).
 * Without this the learner sees an ERR_ACCESS_DENIED stack from inside esbuild.
 */
function permissionProblem() {
  const permission = process.permission;
  if (!permission || typeof permission.has !== 'function') return '';
  const needed = [
    ['worker', '--allow-worker'],
    ['child', '--allow-child-process'],
    ['fs.write', '--allow-fs-write=*'],
  ];
  // --allow-net exists only where the network is gated (Node 25+); elsewhere has('net') means nothing.
  if (process.allowedNodeEnvironmentFlags.has('--allow-net')) needed.push(['net', '--allow-net']);
  const missing = needed.filter(([scope]) => !safeHas(permission, scope)).map(([, flag]) => flag);
  if (missing.length === 0) return '';
  const fromEnv = /--(experimental-)?permission\b/.test(process.env.NODE_OPTIONS ?? '');
  return (
    `learn-node-http cannot run under Node's permission model: it is switched on ${fromEnv ? 'by NODE_OPTIONS in your shell' : 'by a node flag'} ` +
    `and denies what the course needs (${missing.join(' ')}): it starts your server as a child process, sends it real requests and runs the checks in worker threads.\n` +
    (fromEnv
      ? `Run it without the permission flags, for example: env -u NODE_OPTIONS npx learn-node-http ${process.argv.slice(2).join(' ')}\n`
      : 'Run it without --permission (or add the flags above).\n')
  );
}

/**
 * tsx keeps its compile cache in the temp folder (TMPDIR, else the system's) and creates it
 * on the first import: a TMPDIR that cannot hold a folder (a path under a file, a read-only
 * place) would end in a raw ENOTDIR/EACCES stack from inside tsx. Said here in one sentence.
 */
async function tempProblem() {
  const { mkdirSync, mkdtempSync, rmdirSync, statSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = tmpdir();
  const from = process.env.TMPDIR ? 'TMPDIR' : process.env.TMP ? 'TMP' : process.env.TEMP ? 'TEMP' : 'the system default';
  try {
    mkdirSync(dir, { recursive: true });
    if (statSync(dir).isDirectory()) {
      rmdirSync(mkdtempSync(join(dir, 'learn-node-http-probe-')));
      return '';
    }
  } catch (error) {
    return `The temporary folder ${dir} (from ${from}) cannot be used (${error.code ?? error.message}). Point TMPDIR at a folder you can write to (or unset it), then run the command again.\n`;
  }
  return `The temporary folder ${dir} (from ${from}) is not a folder. Point TMPDIR at a folder you can write to (or unset it), then run the command again.\n`;
}

function safeHas(permission, scope) {
  try {
    return permission.has(scope);
  } catch {
    return false;
  }
}
