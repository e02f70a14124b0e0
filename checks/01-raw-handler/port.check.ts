// Whoever runs the server chooses the port and passes it in PORT. The harness starts the
// server with a random free PORT and names the port it really listened on if they differ.
import { send } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { useServers } from '../_harness/start-server.ts';

const start = useServers();

check({ id: 'port', group: 'port', title: 'the server listens on the port given in PORT' }, async () => {
  const server = await start();
  const answer = await send(server, { path: '/hello' }, `an HTTP response on port ${server.port}, the PORT the server was started with`);
  const elsewhere = server.listenedPorts.filter((p) => p.port !== server.port);
  if (answer.status >= 100 && elsewhere.length === 0) return;
  fail({
    sent: `PORT=${server.port} npx tsx ${server.entryName}, then ${answer.curl}`,
    expected: `the only listening port to be ${server.port}`,
    got: `it also listened on ${elsewhere.map((p) => p.port).join(', ')}`,
    means: 'a second listen() on a fixed port: keep one server.listen(Number(process.env.PORT ?? 3000))',
  });
});
