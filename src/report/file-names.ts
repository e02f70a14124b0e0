/**
 * File names for one report file per submission, made from the submissions' labels (the
 * paths given to --dir). Leading folders every label shares are dropped
 * (`submissions/alice`, `submissions/bob` → `alice`, `bob`); what remains becomes a
 * lower-case slug that is safe on every file system. Lower case also keeps two names
 * from colliding on the case-insensitive disks of macOS and Windows; two labels that
 * still slug the same get `-2`, `-3`… so no report overwrites another.
 */

const MAX_SLUG = 80;
/** Names Windows reserves for devices, whatever the extension. */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

export function fileNamesFor(labels: readonly string[], suffix: string): string[] {
  if (labels.length === 0) return [];
  const taken = new Set<string>();
  return distinctiveParts(labels).map((part) => {
    const base = slug(part);
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    taken.add(name);
    return `${name}${suffix}`;
  });
}

/** Each label without the leading path segments all labels share (the last segment always stays). */
function distinctiveParts(labels: readonly string[]): string[] {
  const split = labels.map((label) => label.split(/[\\/]+/).filter((s) => s !== '' && s !== '.'));
  let shared = 0;
  const shortest = Math.min(...split.map((segments) => segments.length));
  while (shared < shortest - 1 && split.every((segments) => segments[shared] === split[0]![shared])) shared++;
  return split.map((segments) => segments.slice(shared).join('-'));
}

export function slug(text: string): string {
  const cleaned = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/[-.]+$/, '');
  if (cleaned === '') return 'submission';
  return RESERVED.test(cleaned) ? `${cleaned}-submission` : cleaned;
}
