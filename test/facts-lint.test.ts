/**
 * The facts ledger lint (facts/README.md): every sentence the course says about what Node
 * or HTTP does cites an executable fact, every cited id exists, and every fact is cited.
 * A "behaviour claim" is found by its words (an ERR_* code; emits, throws, rejects, fires,
 * dropped; "Node ... does/sends/closes ..."): a heuristic that errs towards asking for a
 * citation, since a false sentence in a lesson costs more than one more comment.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCourse } from '../src/course/load.ts';
import { packageRoot } from '../src/course/paths.ts';
import { loadFacts } from '../facts/run.mjs';

const facts = await loadFacts();
const known = new Set(facts.map((f) => f.id));
const phases = loadCourse();

const CLAIM_PATTERNS: readonly RegExp[] = [
  /\bERR_[A-Z0-9_]{3,}\b/,
  /\b(?:emits|is emitted|are emitted|throws|rejects with|fires|is dropped|are dropped|silently drop)/i,
  /\bNode(?:\.js)?(?:'s)?\s+(?:[\w-]+\s+){0,3}?(?:does|doesn't|does not|will|won't|never|always|sends|answers|closes|keeps|treats|parses|adds|sets|drops|defaults|buffers|waits|ignores|returns|refuses|accepts|stops|exits|writes|chunks)\b/,
];
const CITATION = /<!--\s*fact:\s*([^>]*?)\s*-->/g;

/** Markdown split into blocks (paragraphs, list items, table rows), fenced code left out. */
export function markdownBlocks(text: string): { line: number; text: string }[] {
  const blocks: { line: number; text: string }[] = [];
  let current: { line: number; lines: string[] } | undefined;
  let fenced = false;
  const flush = () => {
    if (current) blocks.push({ line: current.line, text: current.lines.join('\n') });
    current = undefined;
  };
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (/^\s*(```|~~~)/.test(line)) {
      flush();
      fenced = !fenced;
      return;
    }
    if (fenced) return;
    if (line.trim() === '' || /^#{1,6}\s/.test(line)) return flush();
    const startsItem = /^\s*(?:[-*+]|\d+[.)])\s+/.test(line) || /^\s*\|/.test(line);
    if (startsItem || !current) {
      flush();
      current = { line: index + 1, lines: [line] };
    } else {
      current.lines.push(line);
    }
  });
  flush();
  return blocks;
}

export function citedIds(text: string): string[] {
  return [...text.matchAll(CITATION)].flatMap((m) => m[1]!.split(',').map((s) => s.trim()).filter(Boolean));
}

export function isBehaviourClaim(text: string): boolean {
  const withoutComments = text.replace(/<!--[\s\S]*?-->/g, '');
  return CLAIM_PATTERNS.some((p) => p.test(withoutComments));
}

interface Cited { readonly where: string; readonly ids: readonly string[]; readonly claim: boolean; readonly text: string }

function markdownCitations(file: string): Cited[] {
  const shown = file.replace(`${packageRoot}/`, '');
  return markdownBlocks(readFileSync(file, 'utf8')).map((b) => ({
    where: `${shown}:${b.line}`,
    ids: citedIds(b.text),
    claim: isBehaviourClaim(b.text),
    text: b.text.slice(0, 160),
  }));
}

function phaseCitations(): Cited[] {
  const out: Cited[] = [];
  for (const phase of phases) {
    out.push(...markdownCitations(phase.paths.lesson));
    const raw = JSON.parse(readFileSync(join(phase.paths.phaseDir, 'phase.json'), 'utf8')) as { hintFacts?: Record<string, string[]> };
    phase.hints.forEach((hint, i) => {
      out.push({ where: `${phase.id} hint ${i + 1}`, ids: raw.hintFacts?.[String(i)] ?? [], claim: isBehaviourClaim(hint), text: hint.slice(0, 160) });
    });
    const quiz = JSON.parse(readFileSync(join(phase.paths.phaseDir, 'quiz.json'), 'utf8')) as { questions: { question: string; explanation: string; facts?: string[] }[] };
    quiz.questions.forEach((q, i) => {
      out.push({ where: `${phase.id} quiz ${i + 1}`, ids: q.facts ?? [], claim: isBehaviourClaim(q.explanation), text: q.explanation.slice(0, 160) });
    });
  }
  out.push(...markdownCitations(join(packageRoot, 'COURSE.md')));
  return out;
}

describe('the facts ledger', () => {
  const citations = phaseCitations();

  it('has facts, each with a unique kebab-case id', () => {
    expect(facts.length).toBeGreaterThan(0);
    expect(new Set(facts.map((f) => f.id)).size).toBe(facts.length);
  });

  it('every cited fact id exists in facts/*.facts.mjs', () => {
    const unknown = citations.flatMap((c) => c.ids.filter((id) => !known.has(id)).map((id) => `${c.where}: cites "${id}", which no fact defines`));
    expect(unknown).toEqual([]);
  });

  it('every fact is cited by some lesson, hint, quiz explanation or COURSE.md', () => {
    const cited = new Set(citations.flatMap((c) => c.ids));
    expect(facts.filter((f) => !cited.has(f.id)).map((f) => `${f.id} (${f.file}) is cited nowhere`)).toEqual([]);
  });

  it('every sentence that states Node or HTTP behaviour cites a fact', () => {
    const uncited = citations.filter((c) => c.claim && c.ids.length === 0).map((c) => `${c.where}: ${c.text}`);
    expect(uncited).toEqual([]);
  });
});

describe('the claim finder', () => {
  it('finds claims and skips fenced code', () => {
    expect(isBehaviourClaim('A second write emits ERR_STREAM_WRITE_AFTER_END.')).toBe(true);
    expect(isBehaviourClaim('Node closes idle keep-alive connections.')).toBe(true);
    expect(isBehaviourClaim('Write a send() helper.')).toBe(false);
    expect(markdownBlocks('para one\n\n```ts\nthrows\n```\n- item <!-- fact: a, b -->\n').map((b) => citedIds(b.text))).toEqual([[], ['a', 'b']]);
  });
});
