import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  DEFAULT_AVATAR_LIMITS,
  ImageRejectedError,
  sanitizeAvatar,
  type ImageRejectionReason,
} from './avatar-image.ts';
import { latin1 } from './avatar-test-bytes.ts';
import {
  exifSegment,
  greyJpeg,
  jpegSegment,
  progressiveJpeg,
  restartJpeg,
} from './jpeg-test-images.ts';
import {
  ihdr,
  PNG_SIGNATURE_BYTES,
  pngChunk,
  pngFile,
  pngWithMetadata,
} from './png-test-images.ts';
import {
  riffChunk,
  vp8Bitstream,
  vp8lBitstream,
  vp8xHeader,
  webpFile,
} from './webp-test-images.ts';

function rejection(bytes: Uint8Array): ImageRejectedError {
  try {
    sanitizeAvatar(bytes);
  } catch (error) {
    assert.ok(error instanceof ImageRejectedError, `not an ImageRejectedError: ${String(error)}`);
    return error;
  }
  assert.fail('the image was accepted');
}

const rejects = (bytes: Uint8Array, reason: ImageRejectionReason): void => {
  assert.equal(rejection(bytes).reason, reason);
};

const LOSSLESS_WEBP = webpFile([riffChunk('VP8L', vp8lBitstream(3, 5))]);

const VALID_IMAGES: Record<string, Uint8Array> = {
  'PNG with metadata': pngWithMetadata(),
  'JPEG with EXIF and a comment': greyJpeg([exifSegment(), jpegSegment(0xfe, latin1('Alice'))]),
  'JPEG with restarts': restartJpeg(),
  'progressive JPEG': progressiveJpeg(),
  'simple lossless WebP': LOSSLESS_WEBP,
  'extended lossy WebP': webpFile([
    vp8xHeader(0x3c, 20, 10),
    riffChunk('ICCP', 'profile'),
    riffChunk('ALPH', Uint8Array.of(0, 1, 2)),
    riffChunk('VP8 ', vp8Bitstream(20, 10)),
    riffChunk('EXIF', 'MM\0*GPS 51.5,-0.1'),
  ]),
};

describe('sanitizeAvatar', () => {
  test('the media type comes from the bytes alone', () => {
    assert.equal(sanitizeAvatar(pngWithMetadata()).mediaType, 'image/png');
    assert.equal(sanitizeAvatar(greyJpeg()).mediaType, 'image/jpeg');
    assert.equal(sanitizeAvatar(LOSSLESS_WEBP).mediaType, 'image/webp');
  });

  const unsupported: Record<string, Uint8Array> = {
    'empty input': new Uint8Array(0),
    GIF: latin1('GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01;'),
    SVG: latin1('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    'SVG with an XML prolog': latin1('<?xml version="1.0"?><svg/>'),
    HTML: latin1('<!DOCTYPE html><html><body>hi</body></html>'),
    PDF: latin1('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj'),
    'a WAV (RIFF but not WEBP)': latin1('RIFF\x24\x00\x00\x00WAVEfmt '),
    'a PNG signature behind a text prefix': Uint8Array.from([
      ...latin1('<x>'),
      ...pngWithMetadata(),
    ]),
    'half a PNG signature': PNG_SIGNATURE_BYTES.subarray(0, 4),
  };
  for (const [name, bytes] of Object.entries(unsupported)) {
    test(`${name} is refused as unsupportedType`, () => {
      rejects(bytes, 'unsupportedType');
    });
  }

  test('3 MiB is refused as tooLarge before its content is looked at', () => {
    rejects(new Uint8Array(3 * 1024 * 1024), 'tooLarge');
    const bigPng = new Uint8Array(3 * 1024 * 1024);
    bigPng.set(pngWithMetadata());
    const error = rejection(bigPng);
    assert.equal(error.reason, 'tooLarge');
    assert.match(error.message, /2 MiB/);
  });

  test('the default limits are 2 MiB, 4096×4096 and about 16.8 megapixels', () => {
    assert.deepEqual(DEFAULT_AVATAR_LIMITS, {
      maxBytes: 2_097_152,
      maxWidthPixels: 4096,
      maxHeightPixels: 4096,
      maxPixelCount: 16_777_216,
    });
    const atLimit = pngFile([
      ihdr(4096, 4096, 1, 0),
      pngChunk('IDAT', Uint8Array.of(0)),
      pngChunk('IEND'),
    ]);
    assert.deepEqual(sanitizeAvatar(atLimit).width, 4096);
  });

  test('a refusal carries a stable code, its reason and a readable message', () => {
    const error = rejection(pngFile([ihdr(100_000, 100_000), pngChunk('IEND')]));
    assert.equal(error.code, 'imageRejected');
    assert.equal(error.reason, 'dimensionsTooLarge');
    assert.equal(error.name, 'ImageRejectedError');
    assert.match(error.message, /100000×100000 pixels.*4096×4096.*16\.8 megapixels/);
  });

  test('the output is a copy: changing the upload afterwards does not change it', () => {
    const input = greyJpeg();
    const output = sanitizeAvatar(input);
    input.fill(0);
    assert.deepEqual(output.bytes, greyJpeg());
  });

  for (const [name, bytes] of Object.entries(VALID_IMAGES)) {
    test(`sanitizing the sanitized ${name} changes nothing`, () => {
      const once = sanitizeAvatar(bytes);
      assert.deepEqual(sanitizeAvatar(once.bytes), once);
    });
  }
});

/** Returns normally or throws ImageRejectedError; anything else fails the property. */
function sanitizeOrReject(bytes: Uint8Array): void {
  try {
    const once = sanitizeAvatar(bytes);
    assert.deepEqual(sanitizeAvatar(once.bytes).bytes, once.bytes, 'the output is stable');
  } catch (error) {
    if (!(error instanceof ImageRejectedError)) throw error;
  }
}

interface ByteEdit {
  readonly at: number;
  readonly kind: 'set' | 'insert' | 'delete';
  readonly value: number;
}

const edit: fc.Arbitrary<ByteEdit> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('set' as const, 'insert' as const, 'delete' as const),
  value: fc.integer({ min: 0, max: 255 }),
});

function applyEdits(source: Uint8Array, edits: readonly ByteEdit[]): Uint8Array {
  const bytes = Array.from(source);
  for (const { at, kind, value } of edits) {
    const index = at % (bytes.length + 1);
    if (kind === 'set' && index < bytes.length) bytes[index] = value;
    if (kind === 'insert') bytes.splice(index, 0, value);
    if (kind === 'delete') bytes.splice(index, 1);
  }
  return Uint8Array.from(bytes);
}

describe('sanitizeAvatar under fuzzing', () => {
  test('arbitrary bytes are returned sanitized or refused with ImageRejectedError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), sanitizeOrReject), { numRuns: 2000 });
  });

  test('arbitrary bytes behind each signature reach the format parsers and never crash', () => {
    const prefixes = [
      PNG_SIGNATURE_BYTES,
      Uint8Array.of(0xff, 0xd8, 0xff),
      latin1('RIFF\0\0\0\0WEBP'),
    ];
    const withPrefix = fc
      .tuple(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 300 }))
      .map(([prefix, rest]) => Uint8Array.from([...prefix, ...rest]));
    fc.assert(fc.property(withPrefix, sanitizeOrReject), { numRuns: 2000 });
  });

  for (const [name, image] of Object.entries(VALID_IMAGES)) {
    test(`mutations and truncations of the ${name} never crash`, () => {
      const mutated = fc
        .tuple(fc.array(edit, { minLength: 1, maxLength: 8 }), fc.nat({ max: image.length }))
        .map(([edits, cut]) => applyEdits(image, edits).subarray(0, image.length + 8 - cut));
      fc.assert(fc.property(mutated, sanitizeOrReject), { numRuns: 1500 });
    });
  }
});
