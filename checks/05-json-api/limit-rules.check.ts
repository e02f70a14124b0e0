// ?limit is a string a human typed. Only whole numbers from 1 to 100 are accepted;
// Number() alone would let '', '1e2' and '2.5' through, so each of those is sent too.
import { send, summarize } from '../_client/http.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { useServers } from '../_harness/start-server.ts';
import { patient } from './_api.ts';

const start = useServers();
const REJECTED = ['0', '-1', 'abc', '2.5', '101', '', '1e2', ' 7'];

check({ id: 'limit-rules', group: 'validation', title: '?limit must be a whole number from 1 to 100' }, async () => {
  const server = await start();
  const accepted = ['1', '100', String(2 + Math.floor(Math.random() * 97))];
  const wrong: string[] = [];
  const sent: string[] = [];
  for (const value of REJECTED) {
    const answer = await send(server, { path: `/messages?limit=${encodeURIComponent(value)}` }, 'status 400', patient());
    if (answer.status !== 400) {
      wrong.push(`limit=${JSON.stringify(value)} answered ${summarize(answer, 60)} (expected 400)`);
      sent.push(answer.curl);
    }
  }
  for (const value of accepted) {
    const answer = await send(server, { path: `/messages?limit=${value}` }, 'status 200', patient());
    if (answer.status !== 200) {
      wrong.push(`limit=${value} answered ${summarize(answer, 60)} (expected 200)`);
      sent.push(answer.curl);
    }
  }
  if (wrong.length > 0) {
    fail({
      sent: sent.slice(0, 3),
      expected: `400 for limit=${REJECTED.map((v) => JSON.stringify(v)).join(', ')}; 200 for ${accepted.join(', ')}`,
      got: wrong.join('\n          '),
      means:
        'parseLimit decides what it accepts: absent means no limit; otherwise test the text with /^[1-9][0-9]*$/ and the value with <= 100 (Number("") is 0, Number("1e2") is 100, Number(" 7") is 7)',
    });
  }
});
