/**
 * Every request a check sends can be printed as a curl command the learner pastes
 * into a terminal to see the problem with their own eyes. The line targets
 * localhost:3000, where the server runs by hand (`npx tsx main.ts`): the random port
 * the check used is gone by the time anyone reads the message.
 */

export interface RequestShape {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export const MANUAL_ORIGIN = 'http://localhost:3000';

export function curlLine(request: RequestShape, options: { readonly origin?: string; readonly extra?: string } = {}): string {
  const parts = ['curl', '-i'];
  const method = request.method ?? 'GET';
  if (method === 'HEAD') parts.push('--head');
  else if (method !== 'GET' || request.body !== undefined) parts.push('-X', method);
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    parts.push('-H', shellQuote(`${name}: ${value}`));
  }
  if (request.body !== undefined) parts.push('--data-binary', shellQuote(request.body));
  if (options.extra) parts.push(options.extra);
  parts.push(shellQuote(`${options.origin ?? MANUAL_ORIGIN}${request.path}`));
  return parts.join(' ');
}

/** POSIX single quotes: safe for any text, including quotes and $ in JSON bodies. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
