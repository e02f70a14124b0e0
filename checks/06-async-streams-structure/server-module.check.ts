// server.ts builds and exports the server; main.ts is the only file that listens.
// That is what lets a test (like this one) import the server and choose the port.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseJson, send, summarize } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { submission } from '../_harness/context.ts';
import { fail } from '../_harness/failures.ts';
import { once } from '../_harness/once.ts';
import { useModuleProbes } from './_module-probe.ts';

const probeModule = useModuleProbes();
const probe = once(async () => {
  const file = path.join(submission().dir, 'server.ts');
  if (!existsSync(file)) fail({ expected: 'server.ts in the phase folder', got: 'there is no server.ts', means: 'server.ts builds the server and exports it' });
  const result = await probeModule(file);
  if (result.outcome?.kind === 'import-failed') {
    fail({ expected: 'import("./server.ts") to succeed', got: 'importing it threw (below)', means: 'a module must be importable on its own', serverOutput: result.outcome.error.split('\n').slice(0, 12).join('\n') });
  }
  return result;
});

check({ id: 'server-module/importing-server-ts-opens-no-socket-only-main-ts-calls-liste', group: 'module-split', title: 'importing server.ts opens no socket: only main.ts calls listen()' }, async () => {
  const { imported, proc } = await probe();
  if (!imported) fail({ expected: 'import("./server.ts") to finish', got: 'it did not finish within 10 s', means: 'top-level code in server.ts (or a file it imports) waits on something that never ends', serverOutput: proc.tail() });
  if (imported.listenCalls.length > 0 || imported.openSockets > 0) {
    fail({
      expected: 'no listen() while server.ts is being imported',
      got: imported.listenCalls.length > 0 ? `listen() was called ${imported.listenCalls[0]!.trim()}` : `${imported.openSockets} socket(s) open after the import`,
      means: 'move listen() to main.ts: a module that listens when imported cannot be reused or tested on a port of the caller\'s choosing',
    });
  }
});

check({ id: 'server-module/server-ts-exports-the-server-or-a-factory-and-it-answers-req', group: 'module-split', title: 'server.ts exports the server (or a factory), and it answers requests on a port the check picks' }, async () => {
  const { outcome, target } = await probe();
  if (!target) {
    fail({
      expected: 'export const server = createServer(...), export default server, or export function createServer()',
      got: outcome?.kind === 'no-server' ? outcome.problem : outcome?.kind === 'listen-failed' ? outcome.error : 'no answer from the import',
      means: 'main.ts (and tests) need the server object itself: export it, and let the importer call listen()',
    });
  }
  const text = `split check ${randomUUID()}`;
  const create = { method: 'POST', path: '/messages', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) };
  const created = await send(target, create, 'status 201 with the new message');
  const id = parseJson(created.text).ok ? (JSON.parse(created.text) as { id?: unknown }).id : undefined;
  if (created.status !== 201 || typeof id !== 'string') {
    fail({ sent: created.curl, expected: 'status 201 and the message with its id', got: summarize(created), means: 'the exported server does not route requests like the running one does' });
  }
  const read = await send(target, { path: `/messages/${encodeURIComponent(id)}` }, 'status 200 with the message just created');
  if (read.status !== 200 || !read.text.includes(text)) {
    fail({ sent: [created.curl, read.curl], expected: `status 200 and a message with text "${text}"`, got: summarize(read), means: 'the exported server does not keep what it was given' });
  }
});
