// Facts phase 04 (middleware) rests on: headers set early survive a later writeHead, request
// handlers interleave at every await, and a request header is whatever the client wrote.
import assert from 'node:assert/strict';
import { fact, rawExchange, withServer, delay } from './_support.mjs';

export default [
  fact(
    'setheader-before-writehead-kept',
    'A header set with res.setHeader() before the response is written is sent along with the headers a later writeHead(status, headers) passes: setHeader("x-request-id", id) then writeHead(404, { "content-type": ... }) sends both.',
    async () => {
      const { text } = await withServer(
        (req, res) => {
          res.setHeader('x-request-id', 'req-42');
          res.writeHead(404, { 'content-type': 'application/json; charset=utf-8', 'content-length': 2 });
          res.end('{}');
        },
        (port) => rawExchange(port, 'GET /nope HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'),
      );
      assert.match(text, /^HTTP\/1\.1 404 Not Found\r\n/);
      assert.match(text, /\r\nx-request-id: req-42\r\n/);
      assert.match(text, /\r\ncontent-type: application\/json; charset=utf-8\r\n/);
    },
  ),
  fact(
    'requests-interleave-at-await',
    'Node runs the handlers of requests in flight interleaved on one thread: while one handler is paused at an await, a second request\'s handler runs, so a module variable the first one set before its await holds the second one\'s value afterwards.',
    async () => {
      let currentUser = 'anonymous';
      // Each handler pauses until both requests have set the variable: no timing guesswork.
      let arrived = 0;
      let bothIn;
      const both = new Promise((resolve) => { bothIn = resolve; });
      const order = [];
      const answers = await withServer(
        async (req, res) => {
          currentUser = req.headers['x-user'];
          order.push(currentUser);
          if (++arrived === 2) bothIn();
          await both;
          await delay(5);
          res.end(currentUser);
        },
        async (port) => {
          const ask = (user) => fetch(`http://127.0.0.1:${port}/whoami`, { headers: { 'x-user': user } }).then((r) => r.text());
          return Promise.all([ask('ada'), ask('bob')]);
        },
      );
      const last = order.at(-1);
      assert.deepEqual(answers, [last, last]);
    },
  ),
  fact(
    'request-headers-as-the-client-wrote-them',
    'Node hands the listener every request header the client wrote, under its lower-case name with the value as sent: a client that sends "X-User: admin" and "X-Forwarded-For: 10.0.0.1" gets req.headers["x-user"] === "admin" and req.headers["x-forwarded-for"] === "10.0.0.1", while req.socket.remoteAddress is the real peer; nothing on req says whether a proxy or the client wrote a header.',
    async () => {
      let seen;
      await withServer(
        (req, res) => {
          seen = { user: req.headers['x-user'], forwarded: req.headers['x-forwarded-for'], peer: req.socket.remoteAddress };
          res.end();
        },
        (port) => rawExchange(port, 'GET /whoami HTTP/1.1\r\nhost: x\r\nX-User: admin\r\nX-Forwarded-For: 10.0.0.1\r\nconnection: close\r\n\r\n'),
      );
      assert.equal(seen.user, 'admin');
      assert.equal(seen.forwarded, '10.0.0.1');
      assert.match(seen.peer, /127\.0\.0\.1$/);
    },
  ),
  fact(
    'sync-throw-escapes-promise-resolve-async-throw-travels-up',
    'A plain (non-async) function that throws does so synchronously: Promise.resolve(fn()) never gets to run, so only a try/catch around the call turns it into a rejection. A throw inside an async function rejects its promise, and the same error object travels out through every await of callers that do not catch it.',
    async () => {
      const error = new Error('boom');
      const plain = () => { throw error; };
      assert.throws(() => Promise.resolve(plain()), (e) => e === error);
      const inner = async () => { throw error; };
      const middle = async () => { await inner(); };
      const outer = async () => { await middle(); };
      await assert.rejects(outer(), (e) => e === error);
    },
  ),
];
