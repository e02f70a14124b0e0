/**
 * The drain checks' timeline: what happened when, from the first step, as one line.
 */
import { describe, expect, it } from 'vitest';
import { exitStep, Timeline, timelineLine, withTimeline } from '../../checks/06-async-streams-structure/_timeline.ts';

describe('timeline', () => {
  it('counts whole milliseconds from the first step and joins the steps with " · "', () => {
    const timeline = new Timeline();
    timeline.mark('GET /slow sent', 1000.4);
    timeline.mark('request in the server', 1062.2);
    timeline.mark('SIGTERM', 1115);
    timeline.mark('/slow answered 200', 1870.6);
    timeline.mark('exit 0', 1881);
    expect(timeline.line()).toBe('timeline: 0 ms GET /slow sent · 62 ms request in the server · 115 ms SIGTERM · 870 ms /slow answered 200 · 881 ms exit 0');
  });

  it('puts steps in the order they happened, not the order they were recorded', () => {
    const steps = [
      { atMs: 0, what: 'GET /slow sent' },
      { atMs: 130, what: '/slow cut before any response' },
      { atMs: 120, what: 'exit 0' },
      { atMs: 120, what: 'a tie keeps its order' },
    ];
    expect(timelineLine(steps)).toBe('timeline: 0 ms GET /slow sent · 120 ms exit 0 · 120 ms a tie keeps its order · 130 ms /slow cut before any response');
  });

  it('goes on its own line under "Got:", and leaves `got` alone when there is nothing to show', () => {
    expect(withTimeline('status 500', [{ atMs: 5, what: 'A' }])).toBe('status 500\n          timeline: 0 ms A');
    expect(withTimeline('status 500', new Timeline())).toBe('status 500');
  });

  it('names an exit by its code or its signal', () => {
    expect(exitStep({ code: 0, signal: null, afterMs: 1 })).toBe('exit 0');
    expect(exitStep({ code: null, signal: 'SIGTERM', afterMs: 1 })).toBe('killed by SIGTERM');
  });
});
