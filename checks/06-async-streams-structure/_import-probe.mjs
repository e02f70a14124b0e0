// Imports a learner's module in a process of its own (never in the check's worker:
// their top-level code could listen, hang or exit) and answers two questions:
//   1. Does importing it open a socket? listen() is intercepted and recorded, and the
//      process's active handles are inspected after the import settles.
//   2. Does it export a server (named `server`, default, or a createServer()/createApp()
//      factory, possibly async)? If so, the probe listens it on 127.0.0.1:0 itself, so
//      the check can send it real requests.
// Events go to the harness over IPC (../_harness/probe-channel.mjs): imported, then one of
// listening, no-server, listen-failed (or import-failed instead of all of them).
//
// Usage (_module-probe.ts): node --import <tsx loader> _import-probe.mjs <absolute path of server.ts>
import net from 'node:net';
import { finish, importLearnerModule, report } from '../_harness/probe-channel.mjs';

const file = process.argv[2];

const listenCalls = [];
const realListen = net.Server.prototype.listen;
net.Server.prototype.listen = function interceptedListen() {
  // Keep the frame that called listen() in the learner's code, to point at the line.
  const frames = (new Error().stack ?? '').split('\n').slice(2);
  listenCalls.push(frames.find((frame) => !frame.includes('node:') && !frame.includes('import-probe')) ?? frames[0] ?? '');
  return this;
};

const mod = await importLearnerModule(file);

// Let top-level promises and timers of the module run briefly before looking for sockets.
await new Promise((resolve) => setTimeout(resolve, 100));
const openSockets = process.getActiveResourcesInfo().filter((name) => /^(TCPServerWrap|TCPWRAP|PipeServerWrap)$/.test(name)).length;
report({ kind: 'imported', listenCalls, openSockets, exportNames: Object.keys(mod) });

net.Server.prototype.listen = realListen;

async function findServer() {
  const isServer = (value) => value instanceof net.Server;
  if (isServer(mod.server)) return { server: mod.server, via: 'export const server' };
  if (isServer(mod.default)) return { server: mod.default, via: 'export default' };
  for (const name of ['createServer', 'createApp']) {
    if (typeof mod[name] === 'function') {
      const made = await mod[name]();
      if (isServer(made)) return { server: made, via: `${name}()` };
      return { problem: `${name}() returned ${describe(made)}, not an http.Server` };
    }
  }
  if (typeof mod.default === 'function' && mod.default.length === 0) {
    const made = await mod.default();
    if (isServer(made)) return { server: made, via: 'default export factory' };
  }
  return { problem: `no export is an http.Server (exports: ${Object.keys(mod).join(', ') || 'none'})` };
}

function describe(value) {
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  return typeof value;
}

try {
  const found = await findServer();
  if (!found.server) {
    await finish({ kind: 'no-server', problem: found.problem });
  }
  found.server.listen(0, '127.0.0.1', () => {
    report({ kind: 'listening', port: found.server.address().port, via: found.via });
  });
  found.server.on('error', (error) => report({ kind: 'listen-failed', error: String(error) }));
} catch (error) {
  await finish({ kind: 'no-server', problem: `looking for the server threw: ${String(error?.stack ?? error)}` });
}
