/**
 * What every learner's workspace has at its root (src/workspace/scaffold.ts writes it): a
 * package.json with "type": "module". Benchmarks grade copies of the reference solutions
 * laid out as workspaces, so they get it too: without it, the phase folders would run as
 * CommonJS under tsx (compile-once.ts leaves such folders to tsx), which no learner meets.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function writeWorkspaceManifest(root: string): Promise<void> {
  await writeFile(path.join(root, 'package.json'), `${JSON.stringify({ name: 'my-learn-node-http', private: true, type: 'module' }, null, 2)}\n`);
}
