#!/usr/bin/env node
// The facts ledger runner: `npm run facts` (or `node facts/run.mjs [id-or-file-filter]`).
// Runs every fact in facts/*.facts.mjs on the Node running it, one line per fact with its
// id and the Node version, and exits 0 only when every fact holds. See facts/README.md.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Every fact, in file order, with the file it came from. */
export async function loadFacts() {
  const files = readdirSync(HERE).filter((name) => name.endsWith('.facts.mjs')).sort();
  const all = [];
  for (const file of files) {
    const module = await import(pathToFileURL(path.join(HERE, file)).href);
    for (const fact of module.default) all.push({ ...fact, file });
  }
  return all;
}

async function runOne(fact) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${fact.timeoutMs} ms`)), fact.timeoutMs);
  });
  const started = performance.now();
  try {
    await Promise.race([Promise.resolve().then(() => fact.run()), deadline]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, ms: Math.round(performance.now() - started), error };
  } finally {
    clearTimeout(timer);
  }
}

async function main() {
  const filter = process.argv[2];
  const facts = (await loadFacts()).filter((f) => !filter || f.id.includes(filter) || f.file.includes(filter));
  const ids = new Set();
  for (const f of facts) {
    if (ids.has(f.id)) throw new Error(`fact id "${f.id}" is used twice (${f.file})`);
    ids.add(f.id);
  }
  const node = `node v${process.versions.node}`;
  let passed = 0;
  let failed = 0;
  for (const f of facts) {
    const result = await runOne(f);
    if (result.ok) {
      passed += 1;
      console.log(`✓ ${f.id}  (${node}, ${result.ms} ms)`);
    } else {
      failed += 1;
      console.log(`✗ ${f.id}  (${node}, ${result.ms} ms)\n    claim: ${f.claim}\n    ${String(result.error?.stack ?? result.error).split('\n').join('\n    ')}`);
    }
  }
  console.log(`\nfacts: ${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 && facts.length > 0 ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // A fact's server may leave a timer behind; the ledger's verdict is final once printed.
  main().then(() => process.exit(process.exitCode ?? 0), (error) => {
    console.error(error);
    process.exit(2);
  });
}
