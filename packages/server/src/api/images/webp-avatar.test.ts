import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ImageRejectedError, sanitizeAvatar, type ImageRejectionReason } from './avatar-image.ts';
import { containsBytes, GPS_TEXT } from './avatar-test-bytes.ts';
import {
  readWebpChunks,
  riffChunk,
  vp8Bitstream,
  vp8lBitstream,
  vp8xHeader,
  webpFile,
} from './webp-test-images.ts';

const ICC = 0x20;
const ALPHA = 0x10;
const EXIF = 0x08;
const XMP = 0x04;
const ANIMATION = 0x02;

function rejects(bytes: Uint8Array, reason: ImageRejectionReason): void {
  assert.throws(
    () => sanitizeAvatar(bytes),
    (error: unknown) => error instanceof ImageRejectedError && error.reason === reason,
  );
}

describe('WebP avatars', () => {
  test('a simple lossless file gives its 14-bit dimensions and keeps its one chunk', () => {
    const input = webpFile([riffChunk('VP8L', vp8lBitstream(300, 17))]);

    const output = sanitizeAvatar(input);

    assert.equal(output.mediaType, 'image/webp');
    assert.deepEqual([output.width, output.height], [300, 17]);
    assert.deepEqual(output.bytes, input);
  });

  test('a simple lossy file gives the key frame dimensions; trailing chunks are dropped', () => {
    const input = webpFile([
      riffChunk('VP8 ', vp8Bitstream(640, 480)),
      riffChunk('EXIF', GPS_TEXT),
    ]);

    const output = sanitizeAvatar(input);

    assert.deepEqual([output.width, output.height], [640, 480]);
    assert.deepEqual(output.bytes, webpFile([riffChunk('VP8 ', vp8Bitstream(640, 480))]));
  });

  test('an extended file loses its EXIF, XMP and ICC chunks and flags, keeps alpha', () => {
    const alph = riffChunk('ALPH', Uint8Array.of(0, 1, 2));
    const image = riffChunk('VP8 ', vp8Bitstream(20, 10));
    const input = webpFile([
      vp8xHeader(ICC | ALPHA | EXIF | XMP, 20, 10),
      riffChunk('ICCP', 'Alice phone profile'),
      alph,
      image,
      riffChunk('EXIF', `MM\0*${GPS_TEXT}`),
      riffChunk('XMP ', '<x:xmpmeta>Alice</x:xmpmeta>'),
      riffChunk('Prvt', 'Alice'),
    ]);

    const output = sanitizeAvatar(input);

    assert.deepEqual([output.width, output.height], [20, 10]);
    assert.ok(!containsBytes(output.bytes, GPS_TEXT) && !containsBytes(output.bytes, 'Alice'));
    assert.deepEqual(output.bytes, webpFile([vp8xHeader(ALPHA, 20, 10), alph, image]));
    const { riffSize, chunks } = readWebpChunks(output.bytes);
    assert.equal(riffSize, output.bytes.length - 8, 'the RIFF size is fixed after stripping');
    assert.deepEqual(
      chunks.map((c) => c.fourCC),
      ['VP8X', 'ALPH', 'VP8 '],
    );
    assert.equal(chunks[0]?.data[0], ALPHA);
  });

  test('an extended lossless file keeps only its header and bitstream', () => {
    const image = riffChunk('VP8L', vp8lBitstream(4000, 4000));
    const input = webpFile([vp8xHeader(EXIF, 4000, 4000), image, riffChunk('EXIF', GPS_TEXT)]);

    const output = sanitizeAvatar(input);

    assert.deepEqual(output.bytes, webpFile([vp8xHeader(0, 4000, 4000), image]));
  });

  test('the animation flag, ANIM and ANMF are refused as animated', () => {
    const image = riffChunk('VP8L', vp8lBitstream(2, 2));
    rejects(webpFile([vp8xHeader(ANIMATION, 2, 2), image]), 'animated');
    rejects(
      webpFile([vp8xHeader(0, 2, 2), riffChunk('ANIM', new Uint8Array(6)), image]),
      'animated',
    );
    rejects(webpFile([vp8xHeader(0, 2, 2), riffChunk('ANMF', new Uint8Array(16))]), 'animated');
  });

  test('a canvas or bitstream over the limits is refused', () => {
    const big = vp8xHeader(0, 100_000, 100_000);
    rejects(webpFile([big, riffChunk('VP8L', vp8lBitstream(2, 2))]), 'dimensionsTooLarge');
    rejects(webpFile([riffChunk('VP8L', vp8lBitstream(16_000, 16_000))]), 'dimensionsTooLarge');
    rejects(webpFile([riffChunk('VP8 ', vp8Bitstream(16_000, 1))]), 'dimensionsTooLarge');
  });

  const image = riffChunk('VP8L', vp8lBitstream(2, 2));
  const corruptCases: Record<string, Uint8Array> = {
    'a RIFF size past the end': (() => {
      const bytes = webpFile([image]);
      bytes[4] = (bytes[4] ?? 0) + 2;
      return bytes;
    })(),
    'no chunk at all': webpFile([]),
    'an unknown first chunk': webpFile([riffChunk('JUNK', 'xx'), image]),
    'no image after VP8X': webpFile([vp8xHeader(0, 2, 2), riffChunk('EXIF', 'x')]),
    'two images': webpFile([vp8xHeader(0, 2, 2), image, image]),
    'a canvas unlike its image': webpFile([vp8xHeader(0, 3, 2), image]),
    'a lossy inter frame': (() => {
      const frame = vp8Bitstream(2, 2);
      frame[0] = (frame[0] ?? 0) | 1;
      return webpFile([riffChunk('VP8 ', frame)]);
    })(),
    'a lossy frame without start code': webpFile([riffChunk('VP8 ', new Uint8Array(13))]),
    'a wrong lossless signature': webpFile([riffChunk('VP8L', Uint8Array.of(0x2e, 0, 0, 0, 0))]),
  };
  for (const [name, bytes] of Object.entries(corruptCases)) {
    test(`a WebP with ${name} is refused as corrupt`, () => {
      rejects(bytes, 'corrupt');
    });
  }

  test('every truncation of a valid WebP is refused, as corrupt once the header is there', () => {
    const webp = webpFile([vp8xHeader(ALPHA, 20, 10), riffChunk('VP8 ', vp8Bitstream(20, 10))]);
    for (let length = 0; length < webp.length; length++) {
      rejects(webp.subarray(0, length), length < 12 ? 'unsupportedType' : 'corrupt');
    }
  });
});
