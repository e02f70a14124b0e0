// The request target is whatever the client wrote after the method (RFC 9112 §3.2), and
// Node hands it to the listener unchecked as req.url. createContext parses it before any
// middleware runs, outside withErrorResponses: a parse that throws there is an uncaught
// exception that ends the process. Three shapes, each on its own raw connection:
//   GET //[                            no path can hold "[": a 400 (404 accepted), never a crash
//   GET //<random>/messages            a path whose first segment is empty, not a host
//   GET http://example.test/messages   absolute-form: routed on its path
// Then GET /messages shows the server is still serving.
import { check } from '../_harness/check.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { expectOddTargetsHandled } from '../_harness/odd-targets.ts';

const start = useServers();

check({ id: 'odd-targets', group: 'error-flow', title: 'Odd request targets: 400 for a path nobody can route, the path for the rest' }, async () => {
  await expectOddTargetsHandled(await start(), scaled(2000), {
    notRoutable: ' (a target the server cannot route is a 400 from dispatchRoute)',
    crashed: 'never throw while building ctx: createContext runs outside the error middleware, so parse the target without throwing and answer 400 inside the chain',
  });
});
