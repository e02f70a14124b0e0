/**
 * Inside the grading process of one submission: wait for the job over IPC, run every phase
 * of it in one vitest run, report progress and the result to the batch, then exit.
 *
 * Messages out: { type: 'progress', event } per check, then { type: 'done', runs }.
 * Anything that goes wrong in here is the grader's problem, not the submission's: it is sent
 * as { type: 'failed', message } and the batch reports (and retries) it as an error.
 */
import { runChecks } from '../runner/index.ts';
import type { ProgressEvent } from '../runner/types.ts';
import type { WorkerMessage, WorkerJob } from './protocol.ts';

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

process.once('message', (job: WorkerJob) => {
  void grade(job);
});

// The batch is gone (killed, Ctrl-C): stop too. The exit handlers of the check harness
// kill the servers this process started.
process.once('disconnect', () => process.exit(1));

async function grade(job: WorkerJob): Promise<void> {
  try {
    const runs = await runChecks({
      phases: job.phases,
      onProgress: (event: ProgressEvent) => void send({ type: 'progress', event }),
    });
    await send({ type: 'done', runs });
  } catch (error) {
    await send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
  // Checks stop their servers in afterAll; this exit also ends anything vitest left open.
  process.exit(0);
}
