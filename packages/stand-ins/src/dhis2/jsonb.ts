// JSON as PostgreSQL's jsonb gives it back: DHIS2 keeps data store values in a jsonb column and answers with
// the column's text, which is jsonb's canonical form, not the text that was posted. Object keys are sorted
// (shorter first, then bytewise) with the last duplicate winning, separators are ", " and ": ", numbers are
// PostgreSQL numerics (1e3 → 1000, 1.50 stays 1.50, -0 → 0) and strings escape only what JSON requires.

export type JsonbNode =
  | { type: 'object'; entries: Map<string, JsonbNode> }
  | { type: 'array'; items: JsonbNode[] }
  | { type: 'string'; value: string }
  | { type: 'number'; text: string }
  | { type: 'literal'; text: 'true' | 'false' | 'null' };

export class JsonSyntaxError extends Error {}

/** Parses strict JSON (RFC 8259), keeping each number's text. */
export function parseJsonb(text: string): JsonbNode {
  let pos = 0;
  const fail = (): never => {
    throw new JsonSyntaxError(`Invalid JSON at position ${pos}`);
  };
  const space = (): void => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos] as string)) pos++;
  };
  const value = (): JsonbNode => {
    space();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const entries = new Map<string, JsonbNode>();
      space();
      if (text[pos] === '}') {
        pos++;
        return { type: 'object', entries };
      }
      for (;;) {
        space();
        if (text[pos] !== '"') fail();
        const key = string();
        space();
        if (text[pos] !== ':') fail();
        pos++;
        entries.delete(key);
        entries.set(key, value());
        space();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return { type: 'object', entries };
        }
        fail();
      }
    }
    if (c === '[') {
      pos++;
      const items: JsonbNode[] = [];
      space();
      if (text[pos] === ']') {
        pos++;
        return { type: 'array', items };
      }
      for (;;) {
        items.push(value());
        space();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return { type: 'array', items };
        }
        fail();
      }
    }
    if (c === '"') return { type: 'string', value: string() };
    for (const literal of ['true', 'false', 'null'] as const) {
      if (text.startsWith(literal, pos)) {
        pos += literal.length;
        return { type: 'literal', text: literal };
      }
    }
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(pos));
    if (!number) return fail();
    pos += number[0].length;
    return { type: 'number', text: number[0] };
  };
  const string = (): string => {
    const start = pos;
    pos++;
    while (pos < text.length && text[pos] !== '"') {
      const code = text.charCodeAt(pos);
      if (code < 0x20) fail();
      pos += text[pos] === '\\' ? 2 : 1;
    }
    if (text[pos] !== '"') fail();
    pos++;
    try {
      return JSON.parse(text.slice(start, pos)) as string;
    } catch {
      return fail();
    }
  };
  const node = value();
  space();
  if (pos !== text.length) fail();
  return node;
}

/** PostgreSQL numeric_in then numeric_out: the exponent folded into the digits, the scale kept. */
function numericText(literal: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (!match) return literal;
  const [, sign, whole = '', fraction = '', exponentText] = match;
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  const digits = whole + fraction;
  const scale = Math.max(0, fraction.length - exponent);
  // The value is digits × 10^(exponent − fraction.length), written with `scale` decimals.
  const shift = exponent - fraction.length;
  let integerPart: string;
  let decimals: string;
  if (shift >= 0) {
    integerPart = digits + '0'.repeat(shift);
    decimals = '';
  } else {
    const cut = digits.length + shift;
    integerPart = cut > 0 ? digits.slice(0, cut) : '0';
    decimals = cut > 0 ? digits.slice(cut) : '0'.repeat(-cut) + digits;
  }
  decimals = decimals.padEnd(scale, '0').slice(0, scale);
  integerPart = integerPart.replace(/^0+(?=\d)/, '');
  const isZero = /^0*$/.test(integerPart + decimals);
  return `${sign && !isZero ? '-' : ''}${integerPart}${scale > 0 ? `.${decimals}` : ''}`;
}

/** PostgreSQL escape_json. */
function quote(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0) as number;
    if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (char === '\b') out += '\\b';
    else if (char === '\f') out += '\\f';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

/** jsonb key order: length of the UTF-8 bytes, then the bytes. */
function compareKeys(a: string, b: string): number {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length !== y.length ? x.length - y.length : Buffer.compare(x, y);
}

export function jsonbText(node: JsonbNode): string {
  switch (node.type) {
    case 'object':
      return `{${[...node.entries]
        .sort(([a], [b]) => compareKeys(a, b))
        .map(([key, child]) => `${quote(key)}: ${jsonbText(child)}`)
        .join(', ')}}`;
    case 'array':
      return `[${node.items.map(jsonbText).join(', ')}]`;
    case 'string':
      return quote(node.value);
    case 'number':
      return numericText(node.text);
    case 'literal':
      return node.text;
  }
}

/** `jsonb_extract_path(value, ...path)`: the node at the path, or undefined (SQL NULL). */
export function extractPath(node: JsonbNode, path: readonly string[]): JsonbNode | undefined {
  let current: JsonbNode | undefined = node;
  for (const segment of path) {
    if (current?.type === 'object') current = current.entries.get(segment);
    else if (current?.type === 'array' && /^-?\d+$/.test(segment)) {
      const index = Number(segment);
      current = current.items[index < 0 ? current.items.length + index : index];
    } else return undefined;
  }
  return current;
}

/** `jsonb_set(target, path, value, create_missing => false)`: replaces an existing member only. */
export function setPath(node: JsonbNode, path: readonly string[], value: JsonbNode): JsonbNode {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string, ...string[]];
  if (node.type === 'object') {
    const child = node.entries.get(head);
    if (child === undefined) return node;
    const entries = new Map(node.entries);
    entries.set(head, setPath(child, rest, value));
    return { type: 'object', entries };
  }
  if (node.type === 'array' && /^-?\d+$/.test(head)) {
    const raw = Number(head);
    const index = raw < 0 ? node.items.length + raw : raw;
    const child = node.items[index];
    if (child === undefined) return node;
    const items = [...node.items];
    items[index] = setPath(child, rest, value);
    return { type: 'array', items };
  }
  return node;
}
