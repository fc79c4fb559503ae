import { readFileSync } from 'node:fs';

/** One row of test-data/vectors.tsv: a frame and what decoding it must give. */
export interface Vector {
  /** 1-based line number in the file, for test names. */
  readonly line: number;
  readonly direction: 'up' | 'down';
  /** The frame as written in the file (text, or `hex:` and bytes). */
  readonly text: string;
  readonly bytes: Buffer;
  readonly kind: string;
  readonly expect: ReadonlyMap<string, string>;
  readonly source: string;
}

const FILE = new URL('../../test-data/vectors.tsv', import.meta.url);

function parseExpect(text: string): Map<string, string> {
  const expect = new Map<string, string>();
  for (const pair of text.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0) expect.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return expect;
}

/** Every vector, in file order. */
export function loadVectors(): Vector[] {
  const lines = readFileSync(FILE, 'utf8').split('\n');
  const vectors: Vector[] = [];
  lines.forEach((line, i) => {
    if (i === 0 || line.trim() === '') return;
    const [direction, text, kind, expect, source] = line.split('\t');
    if (direction !== 'up' && direction !== 'down') return;
    if (text === undefined || kind === undefined || expect === undefined) return;
    vectors.push({
      line: i + 1,
      direction,
      text,
      bytes: text.startsWith('hex:')
        ? Buffer.from(text.slice(4), 'hex')
        : Buffer.from(text, 'latin1'),
      kind,
      expect: parseExpect(expect),
      source: source ?? '',
    });
  });
  return vectors;
}

/** A short, stable test name for a vector. */
export function vectorName(vector: Vector): string {
  const shown = vector.text.length > 60 ? `${vector.text.slice(0, 57)}...` : vector.text;
  return `line ${vector.line} ${vector.kind}: ${shown}`;
}
