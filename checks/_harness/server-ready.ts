/**
 * Waiting for a server the checks started to become ready, and naming every way it does
 * not, as fast as that can be known: a crash (with the refused write or the memory ceiling,
 * when that was the cause), a hard-coded port, an address the checks cannot reach, a port
 * opened by some other process than the server, and "still running, nothing listening"
 * after the deadline.
 */
import { describeExit } from '../_client/http.ts';
import { describeMemoryStop, type ExitInfo } from '../_process/processes.ts';
import { describeDenied, findDenied } from '../_process/sandbox.ts';
import { describeMs, scaled } from './pace.ts';
import { accepts } from './ports.ts';
import { REACHABLE_ADDRESSES, type RunningServer } from './running-server.ts';

/** A server that opens a second port (an admin port, say) gets this long to open ours too. */
const OTHER_PORT_GRACE_MS = 1000;
/**
 * Our port accepts but our process never reported listening (a child of it listens):
 * this long after the first accepted probe. The report travels over IPC and normally
 * arrives within milliseconds of the listen; the slack is for a busy machine.
 */
const FOREIGN_LISTENER_GRACE_MS = 2000;
/** How often the port is probed while the server has not reported listening. */
const PROBE_UNREPORTED_EVERY_MS = 250;

interface StartProblem {
  readonly got: string;
  readonly means: string;
  readonly retry?: boolean;
  /** What to run by hand to see it, when the usual command line would not show it. */
  readonly sent?: string;
  /** Alive, but nothing listened by the deadline: the run remembers it (start-memo.ts). */
  readonly neverListened?: boolean;
}

/**
 * The by-hand command line with a PORT other than the one the server ended up on: run with the
 * usual PORT=3000, a server that falls back to 3000 would look right.
 */
function byHandOnAnotherPort(server: RunningServer, wrongPort: number): string {
  const otherPort = wrongPort === 4000 ? 4001 : 4000;
  return `${server.commandLine.replace(/\bPORT=\d+/, `PORT=${otherPort}`)}   # it should say it listens on ${otherPort}`;
}

/** Undefined once the server is ready; otherwise why it is not, as soon as that can be known. */
export async function waitUntilListening(server: RunningServer, withinMs: number): Promise<StartProblem | undefined> {
  const started = performance.now();
  // The graces are for a busy machine: they stretch with it.
  const otherPortGraceMs = scaled(OTHER_PORT_GRACE_MS);
  const foreignListenerGraceMs = scaled(FOREIGN_LISTENER_GRACE_MS);
  let wrongPortSince: number | undefined;
  let unreachableSince: number | undefined;
  let foreignSince: number | undefined;
  let lastProbeAt = 0;
  while (performance.now() - started < withinMs) {
    // Ready only when OUR process says it listens on the port (the preload reports it) AND
    // the port accepts: between freePort() and listen() another process can take the port,
    // and a check must never talk to somebody else's server while ours dies of EADDRINUSE.
    const ours = server.reachablePorts().length > 0;
    if (ours && (await accepts(server.host, server.port))) return undefined;
    const exit = server.exit;
    if (exit) return describeEarlyExit(server, exit);
    const now = performance.now();
    const elsewhere = server.listenedPorts.find((p) => p.port !== server.port);
    if (elsewhere && !ours) {
      wrongPortSince ??= now;
      // Give a server that opens a second port (an admin port, say) a moment to open ours too.
      if (now - wrongPortSince > otherPortGraceMs) {
        return {
          got: `it listens on port ${elsewhere.port}${hostPart(elsewhere.address)}, but the checks started it with PORT=${server.port}`,
          means: 'the port is hard-coded, or read from the wrong variable; read it from the environment: Number(process.env.PORT ?? 3000)',
          sent: byHandOnAnotherPort(server, elsewhere.port),
        };
      }
    }
    const unreachable = server.listenedPorts.find((p) => p.port === server.port && !REACHABLE_ADDRESSES.has(p.address));
    if (unreachable && !ours) {
      unreachableSince ??= now;
      // The same moment of grace: it may be opening loopback too.
      if (now - unreachableSince > otherPortGraceMs) {
        return {
          got: `it listens on ${formatAddress(unreachable.address, server.port)} only, an address the checks cannot reach: they connect to 127.0.0.1:${server.port} (localhost), like curl http://localhost:${server.port} does`,
          means: `a host was passed to listen(): call server.listen(port) without one (every interface), or with 'localhost' or '127.0.0.1'`,
        };
      }
    }
    if (server.listenedPorts.length === 0 && now - lastProbeAt >= PROBE_UNREPORTED_EVERY_MS) {
      // Something accepts on our port although our process never called listen() on it:
      // a child process of the server listens (or a stranger took the port; then our
      // server would die of EADDRINUSE if it tried, and we retry).
      lastProbeAt = now;
      if (await accepts('127.0.0.1', server.port, scaled(200))) foreignSince ??= now;
      if (foreignSince !== undefined && now - foreignSince > foreignListenerGraceMs) {
        return {
          got: `port ${server.port} accepts connections, but the process the checks started never listened on it (no listen() in that process): another process does, most likely one that ${server.entryName} started`,
          means: 'the checks talk to the server they started, and stop it between checks: call server.listen(port) in the process itself, not in a child process or a cluster worker',
        };
      }
    }
    await nextReport(server, 20);
  }
  return {
    got: `nothing accepted a connection on port ${server.port} within ${describeMs(withinMs)}, and the process is still running`,
    means: 'listen() is never called, or only after something that never finishes (an await that does not resolve, or a loop that never ends at the top level)',
    neverListened: server.listenedPorts.length === 0 && foreignSince === undefined,
  };
}

/**
 * Until the process reports something over IPC (the listen, usually) or closes, at most
 * `ms`: the loop above then acts on a listen the moment it is reported, not up to one
 * polling interval later (every check starts a server, so this is paid on every check).
 */
function nextReport(server: RunningServer, ms: number): Promise<void> {
  const child = server.proc.child;
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      child.off('message', done);
      child.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    child.on('message', done);
    child.on('close', done);
  });
}

function hostPart(address: string): string {
  return REACHABLE_ADDRESSES.has(address) ? '' : ` (on ${address})`;
}

function formatAddress(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

function describeEarlyExit(server: RunningServer, exit: ExitInfo): StartProblem {
  const how = describeExit(exit);
  if (server.proc.memoryExceeded) {
    return {
      got: `the process ${how}, before accepting any connection`,
      means: `${describeMemoryStop(server.proc.memoryExceeded)}: something allocates without bound while starting (a loop that keeps filling an array or a Buffer)`,
    };
  }
  const output = server.proc.output;
  const denied = findDenied(output);
  if (denied) {
    return {
      got: `the process ${how} after ${exit.afterMs} ms, before accepting any connection`,
      means: describeDenied(denied, server.folder),
    };
  }
  if (exit.code === 0 && !exit.signal) {
    return {
      got: `the process ended on its own (exit code 0) after ${exit.afterMs} ms, before accepting any connection`,
      means: 'nothing keeps it running: listen() is never called, or the code exits (process.exit) or closes the server right after starting',
    };
  }
  if (/EADDRINUSE/.test(output)) {
    const taken = Number(/port: (\d+)/.exec(output)?.[1] ?? /:(\d+)\s*$/m.exec(output)?.[1] ?? Number.NaN);
    if (taken === server.port || Number.isNaN(taken)) {
      return { got: `port ${server.port} was taken`, means: 'another process grabbed the port', retry: true };
    }
    return {
      got: `it tried to listen on port ${taken} although the checks started it with PORT=${server.port} (${taken} was taken, so listen() failed with EADDRINUSE)`,
      means: 'the port is hard-coded, or read from the wrong variable; read it from the environment: Number(process.env.PORT ?? 3000)',
      sent: byHandOnAnotherPort(server, taken),
    };
  }
  return {
    got: `the process ${how} after ${exit.afterMs} ms, before accepting any connection`,
    means: 'it crashed while starting: the first error in the output below says why (a syntax error, an import of a missing file, an exception at the top level)',
  };
}
