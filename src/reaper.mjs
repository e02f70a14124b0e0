// Started detached by src/interrupt.ts when a command is interrupted: waits for that
// process to end, then kills every process still carrying its marker and removes its temp
// folder. It runs after the interrupted process is gone, so a server that one of its
// worker threads started in its last milliseconds is found too. Plain JavaScript: it must
// start fast, without the TypeScript loader. Same search as checks/_process/sweep.ts.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';

const [parentPid, name, value, root] = process.argv.slice(2);
const needle = `${name}=${value}`;

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function marked() {
  const pids = [];
  if (process.platform === 'linux') {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
      try {
        if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(needle)) pids.push(Number(entry));
      } catch {
        // Gone, or not ours.
      }
    }
  } else if (process.platform === 'darwin') {
    try {
      for (const line of execFileSync('ps', ['-E', '-ww', '-ax', '-o', 'pid=,command='], { encoding: 'utf8' }).split('\n')) {
        const pid = Number(line.trim().split(/\s+/)[0]);
        if (pid && pid !== process.pid && (line.includes(` ${needle} `) || line.endsWith(` ${needle}`))) pids.push(pid);
      }
    } catch {
      // No ps: nothing to find.
    }
  }
  return pids;
}

const until = Date.now() + 10_000;
while (alive(Number(parentPid)) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
for (let pass = 0; pass < 3; pass++) {
  const found = marked();
  for (const pid of found) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  if (found.length === 0 && pass > 0) break;
  await new Promise((r) => setTimeout(r, 100));
}
if (root) rmSync(root, { recursive: true, force: true, maxRetries: 3 });
