/**
 * A large, valid JSON file for the streaming checks, generated once and cached.
 *
 * 256 MiB: big enough that buffering it (readFile, or ignoring backpressure) shows as
 * hundreds of MB of memory, far above the 25-75 MB that streaming servers settle at.
 * Generating it takes a couple of seconds, so it lives in a cache folder shared by
 * every run; a lock file keeps parallel workers (and parallel verify runs) from
 * writing it twice, and its sha256 is stored beside it so checks compare the served
 * body without re-reading the file.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { InfraError } from '../_harness/failures.ts';

export const BIG_JSON_BYTES = 256 * 1024 * 1024;

export interface BigJson {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** LEARN_NODE_HTTP_CACHE overrides the folder (CI caches, a disk with more room). */
export function cacheDir(): string {
  return process.env.LEARN_NODE_HTTP_CACHE ?? path.join(os.tmpdir(), 'learn-node-http-cache');
}

/** Returns the cached file of about `targetBytes`, generating it first if needed. */
export async function ensureBigJson(targetBytes = BIG_JSON_BYTES, withinMs = 120_000): Promise<BigJson> {
  const dir = cacheDir();
  const file = path.join(dir, `big-${targetBytes}.json`);
  const hashFile = `${file}.sha256`;
  const lockFile = `${file}.lock`;
  await mkdir(dir, { recursive: true });
  const deadline = Date.now() + withinMs;

  while (Date.now() < deadline) {
    const ready = await readReady(file, hashFile);
    if (ready) return ready;
    let lock;
    try {
      lock = await open(lockFile, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw infra(error, dir);
      // Someone else is writing it. A lock older than two minutes belongs to a dead writer.
      const age = await stat(lockFile).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > 120_000) await rm(lockFile, { force: true });
      await delay(100);
      continue;
    }
    try {
      await generate(file, hashFile, targetBytes);
    } catch (error) {
      throw infra(error, dir);
    } finally {
      await lock.close();
      await rm(lockFile, { force: true });
    }
  }
  throw new InfraError(`Timed out after ${withinMs} ms waiting for ${file} to be generated.`);
}

async function readReady(file: string, hashFile: string): Promise<BigJson | undefined> {
  try {
    const [info, sha256] = await Promise.all([stat(file), readFile(hashFile, 'utf8')]);
    return { path: file, bytes: info.size, sha256: sha256.trim() };
  } catch {
    return undefined;
  }
}

/**
 * Writes `[{...},{...},...]` with varied records until the target size, to a temp name;
 * the hash goes next to it first, then the rename makes the pair visible at once.
 */
async function generate(file: string, hashFile: string, targetBytes: number): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(temp);
  const hash = createHash('sha256');
  let written = 0;
  const write = async (text: string) => {
    const chunk = Buffer.from(text);
    hash.update(chunk);
    written += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  };
  await write('[\n');
  let id = 0;
  while (written < targetBytes) {
    // ~1 MB per write: few syscalls, flat memory.
    const records: string[] = [];
    for (let size = 0; size < 1_000_000 && written + size < targetBytes; ) {
      const record = JSON.stringify({
        id: `m-${id}`,
        text: `message ${id}: ${'lorem ipsum dolor sit amet '.repeat(1 + (id % 5))}`.trim(),
        createdAt: new Date(Date.UTC(2026, 0, 1) + id * 1000).toISOString(),
      });
      records.push(`${id === 0 ? '' : ',\n'}${record}`);
      size += record.length + 2;
      id++;
    }
    await write(records.join(''));
  }
  await write('\n]\n');
  out.end();
  // 'close' comes after 'finish' and the file descriptor is released: the bytes are on disk.
  await once(out, 'close');
  await writeText(`${hashFile}.tmp`, `${hash.digest('hex')}\n`);
  await rename(`${hashFile}.tmp`, hashFile);
  await rename(temp, file);
}

async function writeText(file: string, text: string): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}

function infra(error: unknown, dir: string): InfraError {
  const message = error instanceof Error ? error.message : String(error);
  return new InfraError(`Could not prepare the big JSON fixture in ${dir}: ${message} (set LEARN_NODE_HTTP_CACHE to a folder with 300 MB free).`);
}
