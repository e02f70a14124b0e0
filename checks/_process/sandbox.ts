/**
 * Node's permission model around the learner's server: it may read anything (its own
 * files, the package's loaders, big.json), but write only inside its own phase folder
 * and a temp folder of the grading run. An instructor grading thirty repositories runs
 * thirty strangers' programs; a submission that writes to ~/.bashrc, or deletes files
 * next to its folder, is refused by Node itself (ERR_ACCESS_DENIED), and the failure
 * message names the path it tried (see describeDenied).
 *
 * What the server still may do, and why:
 *   --allow-fs-read=*          read its imports, node_modules, the files checks give it
 *   --allow-fs-write=<folder>  its own phase folder (a log file, say)
 *   --allow-fs-write=<tmp>     a private TMPDIR: tsx writes its compile cache there (without it
 *                              tsx dies in mkdir), and so may the learner (os.tmpdir()). Private,
 *                              not the machine's /tmp: the submission being graded usually lives
 *                              under /tmp, and so do other submissions' folders
 *   --allow-worker             tsx's module hooks run in a worker thread (denied: ERR_ACCESS_DENIED
 *                              in HooksProxy before the learner's first line)
 *   --allow-child-process      a server that spawns children still runs; the process-group kill and
 *                              the marker sweep (sweep.ts) make sure they end with it
 *   --allow-net                Node 25+ only: there, listen() itself is denied without it
 * Node 20 and 22.0–22.12 spell the switch --experimental-permission, later lines --permission;
 * process.allowedNodeEnvironmentFlags says which this node knows (the server runs on the
 * same node binary as the checks).
 *
 * Warnings: the permission flags make Node print SecurityWarnings ("--allow-child-process must
 * be used with extreme caution"), and on Node 20 (experimental permission) and 25+ (--allow-net)
 * an ExperimentalWarning, at start-up, on the server's stderr: the output the checks quote back
 * to the learner. --disable-warning silences exactly those types, and only on the lines that
 * print them; a learner's own DeprecationWarning or custom warning still shows (their own
 * ExperimentalWarnings do not, on Node 20 and 25+: the price of a clean output).
 *
 * LEARN_NODE_HTTP_PERMISSION=off turns it off (debugging a server that misbehaves only here).
 * Not on Windows: untested there, and the point is protecting graders' machines.
 */
import { mkdirSync, realpathSync } from 'node:fs';

export interface Sandbox {
  /** Node flags to put before the loaders. */
  readonly nodeFlags: readonly string[];
  /** Environment for the server: TMPDIR (and TEMP/TMP) pointing at the private temp folder. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The sandbox for a server whose own folder is `writableDir`, with `tmpDir` as its private
 * temp folder (created if needed), or undefined where the permission model is off or absent.
 */
export function sandboxFor(writableDir: string, tmpDir: string): Sandbox | undefined {
  const switchFlag = permissionSwitch();
  if (switchFlag === undefined) return undefined;
  mkdirSync(tmpDir, { recursive: true });
  // Real paths: Node compares the resolved path of every access (macOS /tmp is /private/tmp).
  const folder = realpathSync(writableDir);
  const tmp = realpathSync(tmpDir);
  const flags = process.allowedNodeEnvironmentFlags;
  const nodeFlags = [
    switchFlag,
    '--allow-fs-read=*',
    `--allow-fs-write=${folder}`,
    `--allow-fs-write=${tmp}`,
    '--allow-worker',
    '--allow-child-process',
  ];
  if (flags.has('--allow-net')) nodeFlags.push('--allow-net');
  const quiet = ['--disable-warning=SecurityWarning'];
  if (switchFlag === '--experimental-permission' || flags.has('--allow-net')) quiet.push('--disable-warning=ExperimentalWarning');
  nodeFlags.push(...quiet);
  return {
    nodeFlags,
    // NODE_OPTIONS too: from Node 22 on, a node child of the server inherits the permission
    // flags (and prints the same warnings into the server's stderr), but not the command line.
    env: { TMPDIR: tmp, TEMP: tmp, TMP: tmp, NODE_OPTIONS: quiet.join(' ') },
  };
}

/** --permission, --experimental-permission, or undefined (off, Windows, or a node without it). */
export function permissionSwitch(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.LEARN_NODE_HTTP_PERMISSION === 'off' || process.platform === 'win32') return undefined;
  const flags = process.allowedNodeEnvironmentFlags;
  if (!flags.has('--disable-warning')) return undefined;
  if (flags.has('--permission')) return '--permission';
  if (flags.has('--experimental-permission')) return '--experimental-permission';
  return undefined;
}

export interface Denied {
  /** FileSystemWrite, FileSystemRead, ChildProcess, WorkerThreads, Net... */
  readonly permission: string;
  readonly resource?: string;
}

/**
 * The first access Node refused, from the server's output (the uncaught error prints its
 * `code: 'ERR_ACCESS_DENIED'`, `permission` and `resource` properties), or undefined.
 */
export function findDenied(output: string): Denied | undefined {
  const at = output.indexOf('ERR_ACCESS_DENIED');
  if (at < 0) return undefined;
  const near = output.slice(Math.max(0, at - 200), at + 600);
  const permission = /permission:\s*'([^']+)'/.exec(near)?.[1] ?? 'unknown';
  const resource = /resource:\s*'((?:[^'\\]|\\.)*)'/.exec(near)?.[1];
  return { permission, ...(resource !== undefined ? { resource: resource.replace(/\\\\/g, '\\') } : {}) };
}

/** One sentence for the learner: what their server tried, and that graders refuse it. */
export function describeDenied(denied: Denied, folder: string): string {
  const where = denied.resource ?? 'a path';
  switch (denied.permission) {
    case 'FileSystemWrite':
      return `your server tried to write ${where}, outside its folder (${folder}); graders refuse that (Node's permission model stopped it with ERR_ACCESS_DENIED). Write only inside the phase folder, or in os.tmpdir().`;
    case 'FileSystemRead':
      return `your server tried to read ${where} and the graders' permission model refused it (ERR_ACCESS_DENIED).`;
    default:
      return `your server tried something the graders' permission model refuses (${denied.permission}${denied.resource ? ` on ${denied.resource}` : ''}, ERR_ACCESS_DENIED).`;
  }
}
