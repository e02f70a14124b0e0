/**
 * Network errors, translated. "UND_ERR_SOCKET: other side closed" means nothing to a
 * learner; "the server closed the connection without finishing the response" does,
 * and so does the usual reason for it.
 */

export interface Translated {
  /** What happened, in words: goes after "Got:". */
  readonly got: string;
  /** The usual cause: goes after "Usually:". */
  readonly means: string;
}

interface ErrorLike {
  readonly code?: string;
  readonly message?: string;
  readonly cause?: unknown;
}

export function translateNetworkError(error: unknown): Translated {
  const codes = errorChain(error).map((e) => e.code ?? '');
  const messages = errorChain(error).map((e) => e.message ?? '').join(' | ');
  const has = (code: string) => codes.includes(code);

  if (has('ECONNREFUSED')) {
    return {
      got: 'connection refused: nothing was listening on the port',
      means: 'the server is not running any more (it crashed or exited), or it stopped listening',
    };
  }
  if (has('UND_ERR_SOCKET') || /other side closed|Invalid EOF state|terminated/.test(messages)) {
    return {
      got: 'the server closed the connection before the response was complete',
      means: 'the process crashed while handling the request, or the code destroyed the socket',
    };
  }
  if (has('ECONNRESET') || has('EPIPE')) {
    return {
      got: 'the connection was reset by the server',
      means: 'the process crashed, or the socket was destroyed while data was still flowing',
    };
  }
  if (has('UND_ERR_RES_CONTENT_LENGTH_MISMATCH') || has('UND_ERR_REQ_CONTENT_LENGTH_MISMATCH')) {
    return {
      got: 'the body did not match its content-length header',
      means: 'content-length counts bytes: use Buffer.byteLength(text), and write exactly that many bytes',
    };
  }
  if (codes.some((code) => code.startsWith('HPE_'))) {
    return {
      got: `the response was not valid HTTP (${messages})`,
      means: 'something wrote raw bytes to the socket, or wrote after the response had ended',
    };
  }
  return {
    got: `a network error: ${codes.filter(Boolean).join('/') || 'no code'} ${messages}`.trim(),
    means: 'the connection failed in an unexpected way; the server output below may say why',
  };
}

function errorChain(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && chain.length < 5) {
    chain.push(current as ErrorLike);
    current = (current as ErrorLike).cause;
  }
  return chain;
}
