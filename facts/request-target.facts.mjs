import assert from 'node:assert/strict';
import { fact, rawExchange, withServer } from './_support.mjs';

const GET = 'GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n';

export default [
  fact(
    'url-base-double-slash-is-host',
    'new URL(req.url, base) reads a target that starts with "//" as a host: "//inspect/x" gives the path "/x", not "//inspect/x".',
    async () => {
      const url = new URL('//inspect/x', 'http://localhost');
      assert.equal(url.host, 'inspect');
      assert.equal(url.pathname, '/x');
    },
  ),
  fact(
    'url-base-throws-on-odd-target',
    'new URL(req.url, base) throws a TypeError (ERR_INVALID_URL) for the request target "//[", which Node\'s parser accepts and hands to the listener.',
    async () => {
      const seen = [];
      await withServer((req, res) => {
        seen.push(req.url);
        res.end();
      }, (port) => rawExchange(port, 'GET //[ HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'));
      assert.deepEqual(seen, ['//[']);
      assert.throws(() => new URL('//[', 'http://localhost'), (error) => error instanceof TypeError && error.code === 'ERR_INVALID_URL');
    },
  ),
  fact(
    'status-defaults-to-200',
    'A response whose code never sets a status goes out as 200 OK: res.statusCode starts at 200, and res.end("no such page") sends "HTTP/1.1 200 OK".',
    async () => {
      const seen = [];
      const { text } = await withServer((req, res) => {
        seen.push(res.statusCode);
        res.end('no such page');
      }, (port) => rawExchange(port, GET));
      assert.deepEqual(seen, [200]);
      assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
    },
  ),
  fact(
    'writehead-commits-headers',
    'res.writeHead() alone commits the status and headers, before any body byte: right after it res.headersSent is true and res.setHeader() throws ERR_HTTP_HEADERS_SENT.',
    async () => {
      const seen = [];
      await withServer((req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        seen.push(res.headersSent);
        try {
          res.setHeader('x-late', '1');
          seen.push('no throw');
        } catch (error) {
          seen.push(error.code);
        }
        res.end('ok');
      }, (port) => rawExchange(port, GET));
      assert.deepEqual(seen, [true, 'ERR_HTTP_HEADERS_SENT']);
    },
  ),
  fact(
    'end-with-body-sets-content-length',
    'res.end(body) with no content-length set and nothing written before it: Node counts the bytes and sends content-length itself ("Zoë" gives content-length: 4), no chunked encoding.',
    async () => {
      const { text } = await withServer((req, res) => res.end('Zoë'), (port) => rawExchange(port, GET));
      assert.match(text, /\r\ncontent-length: 4\r\n/i);
      assert.doesNotMatch(text, /transfer-encoding/i);
    },
  ),
  fact(
    'write-without-length-is-chunked',
    'A body sent with res.write() and no content-length goes out to an HTTP/1.1 client with transfer-encoding: chunked, each write framed as a chunk and a zero-size chunk at the end.',
    async () => {
      const { text } = await withServer((req, res) => {
        res.write('Zoë');
        res.end();
      }, (port) => rawExchange(port, GET));
      assert.match(text, /\r\ntransfer-encoding: chunked\r\n/i);
      assert.doesNotMatch(text, /content-length/i);
      assert.match(text, /\r\n\r\n4\r\nZo\xc3\xab\r\n0\r\n\r\n$/);
    },
  ),
  fact(
    'searchparams-decode-percent-and-plus',
    'url.searchParams.get() decodes percent-escapes as UTF-8 and "+" as a space ("?name=Zo%C3%AB+K" gives "Zoë K"), and gives null for a missing parameter; url.pathname leaves its percent-escapes alone.',
    async () => {
      const url = new URL('http://localhost/a%20b?name=Zo%C3%AB+K');
      assert.equal(url.searchParams.get('name'), 'Zoë K');
      assert.equal(url.searchParams.get('other'), null);
      assert.equal(url.pathname, '/a%20b');
    },
  ),
  fact(
    'request-header-names-lower-cased',
    'req.headers has every header name lower-cased, whatever case the client used ("X-Trace: 1" is req.headers["x-trace"]).',
    async () => {
      const seen = [];
      await withServer((req, res) => {
        seen.push(req.headers['x-trace'], Object.keys(req.headers).every((name) => name === name.toLowerCase()));
        res.end();
      }, (port) => rawExchange(port, 'GET / HTTP/1.1\r\nHost: x\r\nX-Trace: 1\r\nConnection: close\r\n\r\n'));
      assert.deepEqual(seen, ['1', true]);
    },
  ),
];
