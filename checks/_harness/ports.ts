/** Ports on loopback: a free one to hand a server, and whether one accepts a connection. */
import net from 'node:net';
import { InfraError } from './failures.ts';
import { scaled } from './pace.ts';

/** A port the OS just handed out, on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new InfraError('no free port'))));
    });
  });
}

/** One connection attempt: true if something accepted it. */
export function accepts(host: string, port: number, withinMs = scaled(500)): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), withinMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
