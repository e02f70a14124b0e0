// Shared tools for the facts ledger (see facts/README.md). Plain JavaScript on purpose:
// the ledger must run unchanged on every Node line the course supports (20, 22, 24, 26),
// with nothing compiled and nothing from the course's own harness.
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';

/** One executable fact: `id` is what lessons cite, `claim` the sentence it proves. */
export function fact(id, claim, run, options = {}) {
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) throw new Error(`fact id "${id}" must be kebab-case`);
  return Object.freeze({ id, claim, run, timeoutMs: options.timeoutMs ?? 10_000 });
}

/** The running Node version as [major, minor, patch]. */
export function nodeVersion() {
  return process.versions.node.split('.').map(Number);
}

/** True when the running Node is at least `wanted` ("26.1.0"). */
export function nodeAtLeast(wanted) {
  const have = nodeVersion();
  const want = wanted.split('.').map(Number);
  for (let i = 0; i < 3; i += 1) {
    if ((have[i] ?? 0) !== (want[i] ?? 0)) return (have[i] ?? 0) > (want[i] ?? 0);
  }
  return true;
}

/**
 * Starts an http server on 127.0.0.1 with `listener`, runs `body(port, server)` and
 * always closes the server (and every connection it still has) afterwards.
 * Uncaught exceptions thrown while it runs are collected instead of killing the ledger:
 * pass `{ uncaught: [] }` to read them.
 */
export async function withServer(listener, body, options = {}) {
  const server = http.createServer(options.serverOptions ?? {}, listener);
  const uncaught = options.uncaught;
  const onUncaught = (error) => uncaught?.push(error);
  if (uncaught) process.on('uncaughtException', onUncaught);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    return await body(server.address().port, server);
  } finally {
    server.closeAllConnections?.();
    server.close();
    if (uncaught) {
      // Let an error emitted on the next tick land before the handler goes.
      await new Promise((resolve) => setTimeout(resolve, 20));
      process.off('uncaughtException', onUncaught);
    }
  }
}

/**
 * Sends `text` (a raw HTTP/1.1 request, or several) over a fresh TCP connection and
 * resolves with everything that came back before the server closed the connection or
 * `quietMs` passed with nothing new. Never hangs: `timeoutMs` bounds the whole exchange.
 */
export function rawExchange(port, text, { quietMs = 300, timeoutMs = 5_000, endAfterWrite = false } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks = [];
    let quiet;
    let settled = false;
    const finish = (how) => {
      if (settled) return;
      settled = true;
      clearTimeout(quiet);
      clearTimeout(overall);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), how });
    };
    const overall = setTimeout(() => finish('timeout'), timeoutMs);
    const armQuiet = () => {
      clearTimeout(quiet);
      quiet = setTimeout(() => finish('quiet'), quietMs);
    };
    socket.on('connect', () => {
      socket.write(text);
      if (endAfterWrite) socket.end();
      armQuiet();
    });
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      armQuiet();
    });
    socket.on('end', () => finish('closed'));
    socket.on('close', () => finish('closed'));
    socket.on('error', (error) => finish(`error ${error.code ?? error.message}`));
  });
}

/** Resolves after `ms` milliseconds. */
export function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
