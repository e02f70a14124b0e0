// The request target is whatever the client wrote after the method (RFC 9112 §3.2), and
// Node hands it to the listener unchecked as req.url. Three shapes a real client can send,
// each on its own raw connection (curl would tidy them up before sending):
//   GET //[                        no path can hold "[": the client's mistake, never a 500 or a crash
//   GET //<random>/messages        a path whose first segment is empty, not the host "<random>"
//   GET http://example.test/messages   absolute-form (what clients send to a proxy): routed on its path
// Then GET /messages shows the server is still serving.
import { check } from '../_harness/check.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { expectOddTargetsHandled } from '../_harness/odd-targets.ts';

const start = useServers();

check({ id: 'odd-targets', group: 'path-params', title: 'Odd request targets: 400 for a path nobody can route, the path for the rest' }, async () => {
  await expectOddTargetsHandled(await start(), scaled(2000));
});
