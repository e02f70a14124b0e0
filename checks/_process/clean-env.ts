/**
 * The environment the learner's server starts with. vitest workers carry NODE_ENV=test,
 * VITEST, DEV, SSR, MODE and friends; a server that branches on any of them would
 * behave differently under the checks than by hand. So we pass an allow-list of what
 * a process needs to run (paths, locale, temp dirs, Windows basics) plus what the
 * check sets on purpose (PORT, BIG_JSON, SLOW_MS...).
 *
 * NODE_OPTIONS stays out on purpose, and so do NODE_PENDING_DEPRECATION, NODE_NO_WARNINGS
 * and an editor's debugger hooks: from the learner's shell they could turn on the
 * permission model (on Node 26 it makes listen() throw ERR_ACCESS_DENIED), add warnings
 * to the server's stderr that the checks read, or attach a debugger that pauses the
 * server. So the server starts the same way on every machine and every Node line; its
 * only node flags are the loaders and the permission model spawn-learner.ts passes.
 *
 * Nothing else of the grader's environment reaches the server: an instructor's tokens
 * and secrets stay out of reach of the code being graded (a hostile server that echoes
 * process.env back in a response has nothing of theirs to echo).
 */
const PASS_THROUGH = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'TZ',
  'TMPDIR',
  'TEMP',
  'TMP',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
  'SystemRoot',
  'SYSTEMROOT',
  'windir',
  'ComSpec',
  'PATHEXT',
  // The batch grader's mark on everything one submission's grading starts (its value is
  // "<batch id>:<n>", nothing secret): passed on so the batch can sweep, by this marker,
  // any process a server left behind (see sweep.ts). launch() adds the per-server marker.
  'LEARN_NODE_HTTP_MARKER',
];

export function cleanEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of PASS_THROUGH) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('LC_') && value !== undefined) env[name] = value;
  }
  // Plain logs: no colour codes in the output we quote back to the learner.
  env.NO_COLOR = '1';
  return { ...env, ...extra };
}
