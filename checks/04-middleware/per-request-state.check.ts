// /whoami pauses (WHOAMI_DELAY_MS, 20 ms) before answering, so 50 requests sent at
// once are all in flight together. A user kept in a module variable is overwritten by
// the next request before the pause ends; a user kept on ctx is not.
import { send, summarize } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { rand } from './_server.ts';

const start = useServers();
const OVERLAPPING = 50;

check({ id: 'per-request-state', group: 'per-request-state', title: '50 overlapping requests each see their own user' }, async () => {
  const server = await start();
  const tag = rand(3);
  const shapes = Array.from({ length: OVERLAPPING }, (_, i) => ({ path: '/whoami', headers: { 'x-user': `user-${i}-${tag}` } }));
  const answers = await Promise.all(
    shapes.map((shape) => send(server, shape, 'status 200 with {"user": ..., "requestId": ...}', { headersWithinMs: scaled(5000) })),
  );
  const mixedUp: string[] = [];
  for (const [i, answer] of answers.entries()) {
    let body: { user?: unknown; requestId?: unknown } | undefined;
    try {
      body = JSON.parse(answer.text) as typeof body;
    } catch {
      body = undefined;
    }
    const user = shapes[i]!.headers['x-user'];
    if (answer.status !== 200 || !body) {
      fail({ sent: answer.curl, expected: `status 200 and {"user":"${user}","requestId":"..."}`, got: summarize(answer), means: 'GET /whoami must answer JSON with the user from the x-user header' });
    }
    // requestId is compared only when the header is there: a missing header is request-id's business.
    const headerId = answer.headers['x-request-id'];
    if (body.user !== user || (headerId !== undefined && body.requestId !== headerId)) {
      mixedUp.push(`sent x-user: ${user}, got user ${JSON.stringify(body.user)} and requestId ${JSON.stringify(body.requestId)} (x-request-id: ${String(answer.headers['x-request-id'])})`);
    }
  }
  if (mixedUp.length > 0) {
    fail({
      sent: [`${answers[0]!.curl}   # and ${OVERLAPPING - 1} more like it at the same moment, each with its own x-user`],
      expected: 'every answer names the user of its own request, and its own x-request-id',
      got: `${mixedUp.length} of ${OVERLAPPING} answers belong to another request, e.g. ${mixedUp[0]}`,
      means: 'state of one request sits in a module variable that every request in flight shares: keep it on ctx (ctx.user), which is made fresh per request',
    });
  }
});
