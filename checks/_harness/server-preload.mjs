// Loaded into the learner's server with `--import`, before their code runs. It only
// observes, over the IPC channel the harness opened:
//   - peak resident memory of THIS process (process.resourceUsage().maxRSS), on request:
//     portable (macOS has no /proc) and it measures the server, not a wrapper;
//   - the port of every server that starts listening, so a hard-coded port can be named
//     in the failure message instead of reported as a mystery timeout;
//   - the start of every request the server receives (diagnostics_channel), so a check
//     knows a request is really in flight before it sends a signal, however busy the
//     machine is;
//   - late writes: writeHead()/write()/end() on a response that has already ended, or
//     whose connection is already gone. Node drops most of these silently (no throw,
//     no 'error', nothing on the wire), so without this they are invisible from outside.
//     The original method still runs, with the same arguments: behaviour is unchanged.
// The channel is unref'd: it must never keep the learner's process alive, or the
// graceful-shutdown checks would wait on us instead of on their code.
import dc from 'node:diagnostics_channel';
import { ServerResponse } from 'node:http';
import net from 'node:net';

// A server compiled once for the run (compile-once.ts) runs from a .js file in the run's
// scratch folder: its argv[1] is set back to the .ts entry the learner wrote, as under tsx,
// so a "was I started directly?" test in their code answers the same. Not passed on to
// anything the server starts.
if (process.env.LEARN_NODE_HTTP_TS_ENTRY) {
  process.argv[1] = process.env.LEARN_NODE_HTTP_TS_ENTRY;
  delete process.env.LEARN_NODE_HTTP_TS_ENTRY;
}

if (typeof process.send === 'function') {
  const send = (message) => {
    try {
      process.send(message);
    } catch {
      // The harness went away; nothing to report to.
    }
  };

  process.on('message', (message) => {
    if (message && message.type === 'learn-node-http:peak-rss?') {
      send({ type: 'learn-node-http:peak-rss', id: message.id, maxRssKb: process.resourceUsage().maxRSS });
    }
  });

  // Reported as early as possible: 'listening' is emitted on the next tick, and a server that
  // calls listen() and then keeps its event loop busy (heavy work at the top level) would
  // delay it while the kernel already accepts connections on the port. A listen on a port
  // number (no host name to look up) is bound by the time listen() returns, so it is
  // reported right there; process.send() writes to the pipe at once.
  const reported = new WeakSet();
  const reportListening = (server) => {
    const address = server.address();
    if (reported.has(server) || !address || typeof address !== 'object') return;
    reported.add(server);
    send({ type: 'learn-node-http:listening', port: address.port, address: address.address });
  };
  const originalListen = net.Server.prototype.listen;
  net.Server.prototype.listen = function listen(...args) {
    // A listen() that fails (EADDRINUSE) may be retried: report each successful one.
    reported.delete(this);
    this.once('listening', () => reportListening(this));
    const result = originalListen.apply(this, args);
    try {
      if (this.listening) reportListening(this);
    } catch {
      // Observing must never break the learner's server.
    }
    return result;
  };

  dc.subscribe('http.server.request.start', ({ request }) => {
    send({ type: 'learn-node-http:request', method: request.method, url: request.url });
  });

  // One report per response: the first late call is the one that explains the bug.
  const lateReported = new WeakSet();
  for (const call of ['writeHead', 'write', 'end']) {
    const original = ServerResponse.prototype[call];
    if (typeof original !== 'function') continue;
    ServerResponse.prototype[call] = function observedWrite(...args) {
      try {
        // writableEnded: end() already ran. destroyed && !writableFinished: the connection
        // went away (the client left, or the server cut it) before the response finished.
        const late = this.writableEnded || (this.destroyed && !this.writableFinished);
        if (late && !lateReported.has(this)) {
          lateReported.add(this);
          send({
            type: 'learn-node-http:late-write',
            method: String(this.req?.method ?? '?'),
            url: String(this.req?.url ?? '?'),
            call,
            state: this.writableEnded ? 'after end()' : 'after the connection closed',
            where: learnerFrames(),
          });
        }
      } catch {
        // Observing must never break the learner's server.
      }
      try {
        return original.apply(this, args);
      } catch (error) {
        // The learner's crash (ERR_HTTP_HEADERS_SENT after a missing return) would show this
        // wrapper as a frame of their stack: take it out, so the stack reads as without us.
        hideOwnFrames(error);
        throw error;
      }
    };
  }

  // Adding the 'message' listener ref'd the channel; drop that ref last.
  process.channel?.unref();
}

/** Removes this file's frames from an error's stack; never throws. */
function hideOwnFrames(error) {
  try {
    if (error && typeof error.stack === 'string' && error.stack.includes('server-preload.mjs')) {
      error.stack = error.stack
        .split('\n')
        .filter((line) => !/^\s*at .*server-preload\.mjs/.test(line))
        .join('\n');
    }
  } catch {
    // A frozen or exotic error: leave it as it is.
  }
}

/**
 * Up to three stack frames from the learner's files (tsx maps them back to the .ts
 * lines), innermost first: "sendJson (http-helpers.ts:23:7) <- report (handlers.ts:95:29)".
 */
function learnerFrames() {
  const frames = (new Error().stack ?? '')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().replace(/^at /, ''))
    .filter((frame) => !frame.includes('node:') && !frame.includes('server-preload.mjs') && !frame.includes('/node_modules/'))
    .slice(0, 3)
    .map((frame) => frame.replace(/(?:file:\/\/)?\/[^\s()]*\//g, ''));
  return frames.length > 0 ? frames.join(' <- ') : 'an unknown place (no stack frame from your files)';
}
