/**
 * The environment the learner's server starts with. vitest workers carry NODE_ENV=test,
 * VITEST, DEV, SSR, MODE and friends; a server that branches on any of them would
 * behave differently under the checks than by hand. So we pass an allow-list of what
 * a process needs to run (paths, locale, temp dirs, Windows basics) plus what the
 * check sets on purpose (PORT, BIG_JSON, SLOW_MS...).
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
