import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { openEnvelope, readAnyHeader, readCommonHeader, readEnvelope } from './envelope.ts';

/** Header-like text: the characters a header is made of, and the ones that break it. */
const headerPart = fc
  .array(fc.constantFrom('3', 'G', 'z', '0', '8', '9', 'a', 'F', 'g', '*', '[', ']', ',', ' '), {
    maxLength: 30,
  })
  .map((chars) => chars.join(''));

/** Exactly `min` to `max` characters drawn from `chars`, every length equally likely. */
function textOf(chars: string, min: number, max: number): fc.Arbitrary<string> {
  return fc
    .integer({ min, max })
    .chain((length) =>
      fc.array(fc.constantFrom(...Array.from(chars)), { minLength: length, maxLength: length }),
    )
    .map((picked) => picked.join(''));
}

const HEX = '0123456789ABCDEFabcdef';

/** Headers that are valid or off by one thing: a length, a character, a missing field. */
const nearlyValidHeader = fc
  .tuple(
    fc.constantFrom('3G', 'SG', 'ZJ', '3g', 'x', '3GX', '3 ', '3]', '-G'),
    fc.oneof(textOf('0123456789', 3, 22), textOf('0123456789a[', 5, 8)),
    fc.option(textOf(`${HEX}g`, 0, 9), { nil: undefined }),
    fc.oneof(textOf(HEX, 4, 4), textOf(`${HEX}x`, 3, 5)),
  )
  .map(([vendor, id, index, length]) =>
    index === undefined ? `${vendor}*${id}*${length}*` : `${vendor}*${id}*${index}*${length}*`,
  );

describe('envelope', () => {
  test('the one-pass header reading agrees with the field-by-field one', () => {
    fc.assert(
      fc.property(
        fc.oneof(nearlyValidHeader, headerPart),
        fc.string({ maxLength: 12 }),
        (header, content) => {
          fc.pre(header.length + content.length > 0); // `[]` is refused before any header reading
          const frame = Buffer.from(`[${header}${content}]`, 'latin1');
          const text = frame.toString('latin1');
          const exact = readAnyHeader(frame, text);
          const common = readCommonHeader(frame, text);
          if (common !== undefined) assert.deepEqual(common, exact);
          assert.deepEqual(readCommonHeader(frame, undefined), common);
          assert.deepEqual(readEnvelope(frame, text), exact);
          assert.deepEqual(readEnvelope(frame, undefined), exact);
        },
      ),
      { numRuns: 5000 },
    );
  });

  test('an index field is told from LENGTH by the four hex digits and star after it', () => {
    const indexed = openEnvelope(Buffer.from('[ZJ*014111001350304*0033*0006*UD,1,2]'));
    assert.ok(indexed.ok);
    assert.equal(indexed.envelope.index, '0033');
    assert.equal(indexed.envelope.declaredLength, 6);
    assert.equal(indexed.contentText, 'UD,1,2');
    const plain = openEnvelope(Buffer.from('[3G*8800000015*0002*LK]'));
    assert.ok(plain.ok);
    assert.equal(plain.envelope.index, undefined);
    assert.equal(plain.envelope.isLengthCorrect, true);
  });
});
