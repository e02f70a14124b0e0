// content-length counts bytes on the wire. A well-behaved client stops reading where
// content-length says the body ends, so this check reads the raw socket to the end
// (connection: close) and counts the bytes that really followed the headers.
import { curlLine } from '../_client/curl.ts';
import { rawRequest, withRaw } from '../_client/raw-socket.ts';
import { check } from '../_harness/check.ts';
import { fail } from '../_harness/failures.ts';
import { scaled } from '../_harness/pace.ts';
import { useServers } from '../_harness/start-server.ts';
import { NON_ASCII_NAMES, pick, token } from './_random.ts';

const start = useServers();

check({ id: 'byte-length', group: 'content-length', title: 'content-length counts bytes, not characters' }, async () => {
  const server = await start();
  const name = `${pick(NON_ASCII_NAMES)}-${token(3)}`;
  const body = `Hello, ${name}!\n`;
  const path = `/hello?name=${encodeURIComponent(name)}`;
  const sent = curlLine({ path });
  const report = await withRaw(server, async (conn) => {
    await conn.write(rawRequest({ path, headers: { connection: 'close' } }));
    const head = await conn.headers(0, scaled(2000));
    if (!head.ok) return { problem: head.got };
    // After connection: close the server closes once it has written everything it meant to.
    const closed = await conn.closed(2000);
    if (!closed.ok) return { problem: `${closed.got}, although the request said "connection: close"` };
    const headerEnd = conn.received.indexOf('\r\n\r\n') + 4;
    return { response: head.value, bodyBytes: conn.bytesReceived - headerEnd };
  });
  if (report.problem !== undefined) {
    fail({ sent, expected: 'a complete response, then the connection closed', got: report.problem, means: 'the request never got a finished answer', serverOutput: server.tail() });
  }
  const { response, bodyBytes } = report;
  const declared = response.headers['content-length'];
  if (declared === undefined) {
    fail({
      sent,
      expected: `a content-length header (${Buffer.byteLength(body)} for the body ${JSON.stringify(body)})`,
      got: `no content-length${response.headers['transfer-encoding'] ? ` (transfer-encoding: ${response.headers['transfer-encoding']})` : ''}`,
      means: 'the body was written with res.write() and no length: let one send() helper set content-length and end the response with the body',
    });
  }
  if (Number(declared) !== bodyBytes) {
    fail({
      sent,
      expected: `content-length: ${bodyBytes}, the number of body bytes sent (${JSON.stringify(body)} is ${Buffer.byteLength(body)} bytes in UTF-8 but ${body.length} characters)`,
      got: `content-length: ${declared}, followed by ${bodyBytes} body bytes`,
      means:
        Number(declared) === body.length
          ? 'the length was taken from the string (UTF-16 code units): use Buffer.byteLength(body), which counts UTF-8 bytes'
          : 'the declared length does not match what was written: compute it from the exact body you pass to res.end()',
    });
  }
});
