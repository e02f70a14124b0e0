/**
 * The entry point: the only file that listens, and the one that owns shutdown.
 * Keeping listen() here lets tests import server.ts and pick their own port.
 */
import { server } from './server.ts';

const port = Number(process.env.PORT ?? 3000);
const shutdownTimeoutMs = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000);

let shuttingDown = false;

function shutdown(signal: NodeJS.Signals): void {
  if (shuttingDown) return;
  shuttingDown = true;
  console.log(`${signal} received: refusing new connections, draining in-flight requests`);

  server.close(() => {
    console.log('drained, exiting');
    process.exit(0);
  });

  // A connection that was busy when close() ran turns idle (keep-alive) once its
  // response ends; sweep idle connections so one polite client can't hold the exit.
  const sweep = setInterval(() => server.closeIdleConnections(), 100);
  sweep.unref();

  // A request that never finishes must not block the exit forever.
  const deadline = setTimeout(() => {
    console.error(`shutdown timed out after ${shutdownTimeoutMs} ms with requests still running; exiting`);
    process.exit(1);
  }, shutdownTimeoutMs);
  deadline.unref();
}

process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

server.listen(port, () => {
  console.log(`messages service listening on http://localhost:${port}`);
});
