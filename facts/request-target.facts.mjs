import assert from 'node:assert/strict';
import { fact, rawExchange, withServer } from './_support.mjs';

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
];
