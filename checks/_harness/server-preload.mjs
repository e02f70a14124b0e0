// Loaded into the learner's server with `--import`, before their code runs. It only
// observes, over the IPC channel the harness opened:
//   - peak resident memory of THIS process (process.resourceUsage().maxRSS), on request:
//     portable (macOS has no /proc) and it measures the server, not a wrapper;
//   - the port of every server that starts listening, so a hard-coded port can be named
//     in the failure message instead of reported as a mystery timeout;
//   - the start of every request the server receives (diagnostics_channel), so a check
//     knows a request is really in flight before it sends a signal, however busy the
//     machine is.
// The channel is unref'd: it must never keep the learner's process alive, or the
// graceful-shutdown checks would wait on us instead of on their code.
import dc from 'node:diagnostics_channel';
import net from 'node:net';

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

  const originalListen = net.Server.prototype.listen;
  net.Server.prototype.listen = function listen(...args) {
    this.once('listening', () => {
      const address = this.address();
      if (address && typeof address === 'object') {
        send({ type: 'learn-node-http:listening', port: address.port, address: address.address });
      }
    });
    return originalListen.apply(this, args);
  };

  dc.subscribe('http.server.request.start', ({ request }) => {
    send({ type: 'learn-node-http:request', method: request.method, url: request.url });
  });

  // Adding the 'message' listener ref'd the channel; drop that ref last.
  process.channel?.unref();
}
