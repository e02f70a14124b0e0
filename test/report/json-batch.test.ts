/**
 * results.json for batch grading: one file per submission with safe, unique names, and the
 * batch fields (attempts, stopped) in the object and in plain words in its message.
 */
import { describe, expect, it } from 'vitest';
import { fileNamesFor, slug } from '../../src/report/file-names.ts';
import { jsonFilesPerSubmission, toExercism } from '../../src/report/json.ts';
import { P1, P2, missing, phases, report, run, suite } from './fixtures.ts';

describe('jsonFilesPerSubmission', () => {
  it('one results.json text per submission, named after its folder', () => {
    const reports = [report('submissions/alice', [run(P1, ['pass'])]), report('submissions/bob', [run(P1, ['fail']), missing(P2)])];
    const files = jsonFilesPerSubmission(reports, phases, suite);
    expect(files.map((f) => f.fileName)).toEqual(['alice.results.json', 'bob.results.json']);
    const docs = files.map((f) => JSON.parse(f.text) as { version: number; dir: string; status: string; suite: unknown });
    expect(docs.map((d) => [d.version, d.dir, d.status])).toEqual([
      [3, 'submissions/alice', 'pass'],
      [3, 'submissions/bob', 'fail'],
    ]);
    expect(docs[0]!.suite).toEqual(suite);
    expect(files.every((f) => f.text.endsWith('}\n'))).toBe(true);
  });

  it('names stay unique when labels slug the same, whatever their case or punctuation', () => {
    const labels = ['class/Alice', 'class/alice', 'class/al ice', 'class/al-ice', 'class/ALICE!', '.', '..', 'x/../con', 'class/Zoë Müller'];
    const names = fileNamesFor(labels, '.results.json');
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(labels.length);
    for (const name of names) expect(name).toMatch(/^[a-z0-9][a-z0-9._-]*\.results\.json$/);
    expect(names.slice(0, 4)).toEqual(['class-alice.results.json', 'class-alice-2.results.json', 'class-al-ice.results.json', 'class-al-ice-2.results.json']);
    expect(names[8]).toBe('class-zoe-muller.results.json');
  });

  it('drops the leading folders all labels share; a single folder keeps its own name', () => {
    expect(fileNamesFor(['submissions/2026/alice', 'submissions/2026/bob'], '.json')).toEqual(['alice.json', 'bob.json']);
    expect(fileNamesFor(['submissions/alice'], '.json')).toEqual(['alice.json']);
    expect(fileNamesFor(['.'], '.json')).toEqual(['submission.json']);
    expect(fileNamesFor([], '.json')).toEqual([]);
    expect(slug('nul')).toBe('nul-submission');
    expect(slug('a'.repeat(200))).toHaveLength(80);
  });
});

describe('batch fields in results.json', () => {
  it('attempts (only when more than one) and stopped, said plainly in notes (message is for errors only, as v3 asks)', () => {
    const retried = toExercism(report('a', [run(P1, ['pass', 'pass'])], { attempts: 2 }), phases, suite);
    expect(retried.attempts).toBe(2);
    expect(retried.notes).toMatch(/graded 2 times: an infrastructure error .* spoiled the first attempt/);
    expect(retried).not.toHaveProperty('message');
    expect(retried).not.toHaveProperty('stopped');

    const stopped = toExercism(report('b', [run(P1, ['pass', 'fail'])], { stoppedReason: 'its time budget of 60 s ran out' }), phases, suite);
    expect(stopped.stopped).toBe('its time budget of 60 s ran out');
    expect(stopped.status).toBe('fail');
    expect(stopped).not.toHaveProperty('message');
    expect(stopped.notes).toBe('Grading stopped early (its time budget of 60 s ran out): the checks that had not finished are counted as failed.');
    expect(stopped).not.toHaveProperty('attempts');

    const plain = toExercism(report('c', [run(P1, ['pass'])], { attempts: 1 }), phases, suite);
    expect(plain).not.toHaveProperty('attempts');
    expect(plain).not.toHaveProperty('message');
    expect(plain).not.toHaveProperty('notes');
    expect(plain.score).toEqual({ passed: 1, total: 1, phases: [{ phase: P1, state: 'graded', passed: 1, total: 1 }] });

    const broken = toExercism(report('d', [run(P1, ['error'])], { attempts: 2 }), phases, suite);
    expect(broken.status).toBe('error');
    expect(broken.message).toMatch(/graded 2 times.*Some checks could not run/s);
  });
});
