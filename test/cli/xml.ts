/**
 * A deliberately small XML well-formedness checker for the JUnit report (no dependency):
 * tags nest and close, attributes are quoted, entities are the predefined five or numeric,
 * and no character outside XML 1.0 appears. Returns the element tree for assertions.
 */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

export function parseXml(source: string): XmlElement {
  if (FORBIDDEN.test(source)) throw new Error('a character XML 1.0 forbids');
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at offset ${i}: ${JSON.stringify(source.slice(i, i + 40))}`);
  };
  const decode = (raw: string): string => {
    for (let k = 0; k < raw.length; k++) {
      if (raw[k] === '<') fail('raw < in text');
      if (raw[k] === '&') {
        ENTITY.lastIndex = k;
        if (!ENTITY.test(raw)) fail('bad entity');
      }
    }
    return raw.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n))).replace(/&amp;/g, '&');
  };
  if (source.startsWith('<?xml')) i = source.indexOf('?>') + 2;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const text = source.slice(i, lt === -1 ? source.length : lt);
    if (stack.length === 0 && text.trim() !== '') fail('text outside the root');
    if (stack.length > 0) stack[stack.length - 1]!.text += decode(text);
    if (lt === -1) break;
    i = lt;
    const close = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(source.slice(i));
    if (close) {
      const open = stack.pop();
      if (!open || open.name !== close[1]) fail(`</${close[1]}> does not close <${open?.name}>`);
      i += close[0].length;
      continue;
    }
    const tag = /^<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*\s*=\s*"[^"<]*")*)\s*(\/?)>/.exec(source.slice(i));
    if (!tag) fail('malformed tag');
    const attrs: Record<string, string> = {};
    for (const m of tag![2]!.matchAll(/([A-Za-z_][\w.-]*)\s*=\s*"([^"]*)"/g)) {
      if (m[1]! in attrs) fail(`duplicate attribute ${m[1]}`);
      attrs[m[1]!] = decode(m[2]!);
    }
    const el: XmlElement = { name: tag![1]!, attrs, children: [], text: '' };
    if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
    else if (root) fail('a second root element');
    else root = el;
    if (tag![3] !== '/') stack.push(el);
    i += tag![0].length;
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) fail('no root element');
  return root!;
}

export function findAll(el: XmlElement, name: string): XmlElement[] {
  return [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => findAll(c, name))];
}
