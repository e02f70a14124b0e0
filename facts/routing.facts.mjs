// Facts phase 03 (routing) rests on: what a HEAD request does to a GET handler's answer,
// how percent-escapes survive URL parsing and how decoding them fails, where the standard
// URLPattern matcher exists, and that a 405 carries only the Allow header you set.
import assert from 'node:assert/strict';
import { fact, nodeAtLeast, rawExchange, withServer } from './_support.mjs';

/** The head (status line and headers) of every response in `text`, in order. */
function heads(text) {
  return text.split('HTTP/1.1 ').slice(1).map((part) => part.split('\r\n\r\n')[0]);
}

export default [
  fact(
    'head-runs-get-handler-body-dropped',
    'For a HEAD request, a handler that calls writeHead(200, { "content-length": n, "content-type": ... }) and end(body) sends those headers unchanged and not one body byte: Node leaves the body out because the request was HEAD, and the next response on the connection follows right after the headers.',
    async () => {
      const body = JSON.stringify([{ id: 'a', text: 'hello' }]);
      const { text } = await withServer(
        (req, res) => {
          res.writeHead(200, { 'content-length': Buffer.byteLength(body), 'content-type': 'application/json; charset=utf-8' });
          res.end(body);
        },
        (port) => rawExchange(port, 'HEAD /messages HTTP/1.1\r\nhost: x\r\n\r\nGET /messages HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'),
      );
      const [head, get] = heads(text);
      assert.match(head, /^200 OK\r\n/);
      assert.match(head, new RegExp(`\\r\\ncontent-length: ${Buffer.byteLength(body)}\\r\\n`));
      assert.match(head, /\r\ncontent-type: application\/json; charset=utf-8\r\n/);
      assert.match(get, /^200 OK\r\n/);
      // The body appears once: after the GET's headers, never between the two heads.
      assert.ok(text.includes('\r\n\r\nHTTP/1.1 200 OK'), 'the GET status line follows the HEAD headers at once');
      assert.equal(text.split(body).length - 1, 1);
    },
  ),
  fact(
    'url-pathname-keeps-percent-escapes',
    'URL parsing leaves valid percent-escapes in the path as the client sent them: the pathname of "http://localhost/messages/caf%C3%A9" is "/messages/caf%C3%A9", and "%zz" stays "%zz"; decodeURIComponent("caf%C3%A9") gives "café".',
    async () => {
      assert.equal(new URL('http://localhost/messages/caf%C3%A9').pathname, '/messages/caf%C3%A9');
      assert.equal(new URL('http://localhost/messages/%zz').pathname, '/messages/%zz');
      assert.equal(decodeURIComponent('caf%C3%A9'), 'café');
    },
  ),
  fact(
    'decode-uri-component-throws-uri-error',
    'decodeURIComponent throws a URIError for malformed percent-encoding: a cut-short escape ("%E0%A4%A"), an escape that is not hex ("%zz"), and bytes that are not UTF-8 ("%FF").',
    async () => {
      for (const bad of ['%E0%A4%A', '%zz', '%FF']) {
        assert.throws(() => decodeURIComponent(bad), URIError, bad);
      }
    },
  ),
  fact(
    'urlpattern-global-from-23-8',
    'URLPattern is a global from Node 23.8.0 on (so on 24 and 26) and is missing on Node 20 and 22; where it exists, new URLPattern({ pathname: "/messages/:id" }).exec({ pathname: "/messages/42" }) captures { id: "42" }.',
    async () => {
      const Native = globalThis.URLPattern;
      assert.equal(typeof Native, nodeAtLeast('23.8.0') ? 'function' : 'undefined');
      if (Native) {
        const match = new Native({ pathname: '/messages/:id' }).exec({ pathname: '/messages/42' });
        assert.deepEqual({ ...match.pathname.groups }, { id: '42' });
        assert.equal(new Native({ pathname: '/messages/:id' }).exec({ pathname: '/messages/42/x' }), null);
      }
    },
  ),
  fact(
    'status-405-has-no-automatic-allow',
    'Node adds no Allow header of its own: a 405 sent with writeHead(405) carries Allow only when the handler set it (setHeader("allow", "GET, HEAD, POST") is sent as written).',
    async () => {
      const { text } = await withServer(
        (req, res) => {
          if (req.url === '/with') res.setHeader('allow', 'GET, HEAD, POST');
          res.writeHead(405);
          res.end();
        },
        (port) => rawExchange(port, 'PUT /without HTTP/1.1\r\nhost: x\r\n\r\nPUT /with HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'),
      );
      const [without, withAllow] = heads(text);
      assert.match(without, /^405 Method Not Allowed\r\n/);
      assert.doesNotMatch(without, /\r\nallow:/i);
      assert.match(withAllow, /\r\nallow: GET, HEAD, POST\r\n/);
    },
  ),
];
