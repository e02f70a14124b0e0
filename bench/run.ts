/**
 * `npm run bench`: the numbers the README quotes, measured on this machine.
 *
 *   --runs N        repetitions per measurement (default 5 for verify, 3 for memory)
 *   --sizes 256,1024  export file sizes in MB for the memory measurement (default 256)
 *
 * Prints a Markdown table (paste it into the README) and writes bench/results/latest.json.
 * Numbers live here, never in the tests: the tests assert behaviour only.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../checks/_harness/paths.ts';
import { median, range } from './stats.ts';
import { measureStreamMemory } from './stream-memory.ts';
import { timeVerify } from './verify-time.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    sizes: { type: 'string', default: '256' },
  },
});
const runs = values.runs ? Number(values.runs) : undefined;
const sizesMb = values.sizes.split(',').map(Number);

const machine = `Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown cpu'}), ${os.platform()} ${os.arch()}`;
console.log(`learn-node-http benchmark: ${machine}\n`);

const rows: string[] = [];
const results: Record<string, unknown> = { machine, date: new Date().toISOString() };

// Memory first: it also generates (or finds) the cached big file that verify uses.
for (const sizeMb of sizesMb) {
  process.stdout.write(`streaming a ${sizeMb} MB export (peak RSS growth of the server) …\n`);
  const memory = await measureStreamMemory(sizeMb * 1024 * 1024, runs ?? 3);
  results[`stream${sizeMb}`] = memory;
  rows.push(`| server peak RSS growth, ${sizeMb} MB export, fast client | ${median(memory.fastClientMb).toFixed(0)} MB | ${range(memory.fastClientMb)} | under 64 MB |`);
  rows.push(`| server peak RSS growth, ${sizeMb} MB export, client pausing 1 s | ${median(memory.pausedClientMb).toFixed(0)} MB | ${range(memory.pausedClientMb)} | under 64 MB |`);
}

process.stdout.write('verify 06 on the reference solution (fresh CLI process each run) …\n');
const verify = await timeVerify('06-async-streams-structure', runs ?? 5);
results.verify06 = verify;
rows.unshift(`| \`verify 06\` wall time (${verify.checks} checks, big file cached) | ${median(verify.seconds).toFixed(2)} s | ${range(verify.seconds)} | under 5 s |`);

console.log(`\n| measurement | median | range | aim |\n| --- | --- | --- | --- |\n${rows.join('\n')}\n`);
const out = path.join(PACKAGE_ROOT, 'bench/results/latest.json');
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`raw samples: ${path.relative(process.cwd(), out)}`);
