import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deflateSync, inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { ImageRejectedError, sanitizeAvatar, type ImageRejectionReason } from './avatar-image.ts';
import { CAMERA_SERIAL, containsBytes, GPS_TEXT } from './avatar-test-bytes.ts';
import {
  ihdr,
  pngChunk,
  pngFile,
  pngWithMetadata,
  rawScanlines,
  readPngChunks,
  RGB_2X2_ROWS,
} from './png-test-images.ts';

const grey1x1Idat = (): Uint8Array => pngChunk('IDAT', deflateSync(Uint8Array.of(0, 0x80)));

function rejects(bytes: Uint8Array, reason: ImageRejectionReason): void {
  assert.throws(
    () => sanitizeAvatar(bytes),
    (error: unknown) => error instanceof ImageRejectedError && error.reason === reason,
  );
}

describe('PNG avatars', () => {
  test('the GPS comment and EXIF serial are gone, the pixels are unchanged', () => {
    const input = pngWithMetadata();
    assert.ok(containsBytes(input, GPS_TEXT) && containsBytes(input, CAMERA_SERIAL));

    const output = sanitizeAvatar(input);

    assert.equal(output.mediaType, 'image/png');
    assert.deepEqual([output.width, output.height], [2, 2]);
    assert.ok(!containsBytes(output.bytes, GPS_TEXT), 'no position in the output');
    assert.ok(!containsBytes(output.bytes, CAMERA_SERIAL), 'no camera serial in the output');
    const chunks = readPngChunks(output.bytes);
    assert.deepEqual(
      chunks.map((c) => c.type),
      ['IHDR', 'IDAT', 'IEND'],
    );
    assert.ok(chunks.every((c) => c.isCrcValid));
    const idat = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
    assert.deepEqual(Uint8Array.from(inflateSync(idat)), rawScanlines(RGB_2X2_ROWS));
  });

  test('colour chunks are kept, every other ancillary chunk is dropped', () => {
    const input = pngFile([
      ihdr(1, 1, 8, 3),
      pngChunk('iCCP', 'Alice phone profile\0\0xx'),
      pngChunk('gAMA', Uint8Array.of(0, 0, 0xb1, 0x8f)),
      pngChunk('sRGB', Uint8Array.of(0)),
      pngChunk('pHYs', new Uint8Array(9)),
      pngChunk('tIME', Uint8Array.of(7, 0xe8, 5, 1, 12, 0, 0)),
      pngChunk('PLTE', Uint8Array.of(10, 20, 30)),
      pngChunk('tRNS', Uint8Array.of(0x80)),
      pngChunk('zTXt', 'Location\0\0xx'),
      pngChunk('iTXt', 'Author\0\0\0\0\0Alice'),
      pngChunk('prVt', 'private'),
      grey1x1Idat(),
      pngChunk('IEND'),
    ]);

    const chunks = readPngChunks(sanitizeAvatar(input).bytes);

    assert.deepEqual(
      chunks.map((c) => c.type),
      ['IHDR', 'gAMA', 'sRGB', 'PLTE', 'tRNS', 'IDAT', 'IEND'],
    );
  });

  test('image data split over several IDAT chunks is kept whole and in order', () => {
    const stream = deflateSync(rawScanlines(RGB_2X2_ROWS));
    const input = pngFile([
      ihdr(2, 2),
      pngChunk('IDAT', stream.subarray(0, 5)),
      pngChunk('IDAT', stream.subarray(5)),
      pngChunk('IEND'),
    ]);

    const chunks = readPngChunks(sanitizeAvatar(input).bytes);

    const idat = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
    assert.deepEqual(Uint8Array.from(inflateSync(idat)), rawScanlines(RGB_2X2_ROWS));
  });

  test('whatever follows IEND (an HTML or ZIP polyglot) is dropped', () => {
    const png = pngWithMetadata();
    const polyglot = Uint8Array.from([...png, ...Buffer.from('<html><script>alert(1)</script>')]);

    const output = sanitizeAvatar(polyglot);

    assert.ok(!containsBytes(output.bytes, '<script>'));
    assert.deepEqual(readPngChunks(output.bytes).at(-1)?.type, 'IEND');
  });

  test('an APNG is refused as animated', () => {
    const actl = pngChunk('acTL', Uint8Array.of(0, 0, 0, 2, 0, 0, 0, 0));
    rejects(pngFile([ihdr(1, 1, 8, 0), actl, grey1x1Idat(), pngChunk('IEND')]), 'animated');
  });

  test('a header claiming 100000×100000 is refused before the image data is read', () => {
    rejects(pngFile([ihdr(100_000, 100_000), pngChunk('IEND')]), 'dimensionsTooLarge');
    rejects(pngFile([ihdr(4097, 1, 8, 0), grey1x1Idat(), pngChunk('IEND')]), 'dimensionsTooLarge');
  });

  test('a pixel count over the limit is refused even when each side fits', () => {
    const limits = { maxBytes: 1000, maxWidthPixels: 4, maxHeightPixels: 4, maxPixelCount: 10 };
    const image = pngFile([ihdr(4, 4, 8, 0), grey1x1Idat(), pngChunk('IEND')]);
    assert.throws(
      () => sanitizeAvatar(image, limits),
      (error: unknown) =>
        error instanceof ImageRejectedError && error.reason === 'dimensionsTooLarge',
    );
  });

  const corruptCases: Record<string, Uint8Array> = {
    'a bad CRC': (() => {
      const bytes = pngWithMetadata();
      bytes[30] = (bytes[30] ?? 0) ^ 0xff;
      return bytes;
    })(),
    'no IHDR first': pngFile([grey1x1Idat(), ihdr(1, 1, 8, 0), pngChunk('IEND')]),
    'no IDAT': pngFile([ihdr(1, 1, 8, 0), pngChunk('IEND')]),
    'no IEND': pngFile([ihdr(1, 1, 8, 0), grey1x1Idat()]),
    'a zero width': pngFile([ihdr(0, 1, 8, 0), grey1x1Idat(), pngChunk('IEND')]),
    'bit depth 3': pngFile([ihdr(1, 1, 3, 0), grey1x1Idat(), pngChunk('IEND')]),
    'colour type 5': pngFile([ihdr(1, 1, 8, 5), grey1x1Idat(), pngChunk('IEND')]),
    'a palette image without PLTE': pngFile([ihdr(1, 1, 8, 3), grey1x1Idat(), pngChunk('IEND')]),
    'IDATs split by another chunk': pngFile([
      ihdr(1, 1, 8, 0),
      grey1x1Idat(),
      pngChunk('tEXt', 'a\0b'),
      grey1x1Idat(),
      pngChunk('IEND'),
    ]),
  };
  for (const [name, bytes] of Object.entries(corruptCases)) {
    test(`a PNG with ${name} is refused as corrupt`, () => {
      rejects(bytes, 'corrupt');
    });
  }

  test('every truncation of a valid PNG is refused, as corrupt once the signature is there', () => {
    const png = pngWithMetadata();
    for (let length = 0; length < png.length; length++) {
      rejects(png.subarray(0, length), length < 8 ? 'unsupportedType' : 'corrupt');
    }
  });

  test('chunk sequences with valid CRCs are sanitized or refused, never crash', () => {
    const type = fc.constantFrom('IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND', 'acTL', 'tEXt', 'abCD');
    const chunk = fc
      .tuple(type, fc.uint8Array({ maxLength: 20 }))
      .map(([name, data]) => pngChunk(name, data));
    const header = fc
      .tuple(fc.nat({ max: 5000 }), fc.nat({ max: 5000 }), fc.nat({ max: 17 }), fc.nat({ max: 7 }))
      .map(([width, height, depth, colour]) => ihdr(width, height, depth, colour));
    const file = fc
      .tuple(header, fc.array(chunk, { maxLength: 8 }))
      .map(([first, rest]) => pngFile([first, ...rest]));
    fc.assert(
      fc.property(file, (bytes) => {
        try {
          const output = sanitizeAvatar(bytes);
          const types = readPngChunks(output.bytes).map((c) => c.type);
          assert.equal(types[0], 'IHDR');
          assert.equal(types.at(-1), 'IEND');
          assert.ok(types.includes('IDAT'));
          assert.ok(types.every((t) => ['IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND'].includes(t)));
        } catch (error) {
          if (!(error instanceof ImageRejectedError)) throw error;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
