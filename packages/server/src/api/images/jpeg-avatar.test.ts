import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ImageRejectedError, sanitizeAvatar, type ImageRejectionReason } from './avatar-image.ts';
import { CAMERA_SERIAL, containsBytes, latin1 } from './avatar-test-bytes.ts';
import {
  exifSegment,
  GREY_8X8_SCAN,
  greyJpeg,
  JPEG_COMMENT,
  jpegMarkers,
  jpegSegment,
  jpegWithFrame,
  progressiveJpeg,
  RESTART_64X8_SCAN,
  restartJpeg,
} from './jpeg-test-images.ts';

const APP0 = 0xe0;
const DQT = 0xdb;
const SOF0 = 0xc0;
const DHT = 0xc4;
const SOS = 0xda;

function rejects(bytes: Uint8Array, reason: ImageRejectionReason): void {
  assert.throws(
    () => sanitizeAvatar(bytes),
    (error: unknown) => error instanceof ImageRejectedError && error.reason === reason,
  );
}

/** The bytes between the end of the last SOS header and EOI. */
function scanData(bytes: Uint8Array): Uint8Array {
  const sos = Buffer.from(bytes).lastIndexOf(Buffer.from([0xff, SOS]));
  const headerLength = ((bytes[sos + 2] ?? 0) << 8) + (bytes[sos + 3] ?? 0);
  return bytes.subarray(sos + 2 + headerLength, bytes.length - 2);
}

describe('JPEG avatars', () => {
  test('EXIF (APP1) and the comment are dropped, the image data is kept byte for byte', () => {
    const comment = jpegSegment(0xfe, latin1(JPEG_COMMENT));
    const input = greyJpeg([exifSegment(), comment]);

    const output = sanitizeAvatar(input);

    assert.equal(output.mediaType, 'image/jpeg');
    assert.deepEqual([output.width, output.height], [8, 8]);
    assert.ok(!containsBytes(output.bytes, CAMERA_SERIAL), 'no EXIF serial in the output');
    assert.ok(!containsBytes(output.bytes, 'Exif'), 'no EXIF header in the output');
    assert.ok(!containsBytes(output.bytes, JPEG_COMMENT), 'no comment in the output');
    assert.deepEqual(jpegMarkers(output.bytes), [APP0, DQT, SOF0, DHT, DHT, SOS]);
    assert.deepEqual(scanData(output.bytes), GREY_8X8_SCAN);
    assert.deepEqual(output.bytes.subarray(-2), Uint8Array.of(0xff, 0xd9));
    assert.deepEqual(output.bytes, greyJpeg(), 'exactly the image without its metadata');
  });

  test('APP2..APP13, APP15 (XMP, ICC, Photoshop...) are dropped, Adobe APP14 is kept', () => {
    const app = (marker: number, text: string): Uint8Array => jpegSegment(marker, latin1(text));
    const adobe = jpegSegment(0xee, [...latin1('Adobe'), 0, 100, 0, 0, 0, 0, 1]);
    const input = greyJpeg([
      app(0xe1, 'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>Alice</x:xmpmeta>'),
      app(0xe2, 'ICC_PROFILE\0\x01\x01Alice phone'),
      app(0xed, 'Photoshop 3.0\0Alice'),
      app(0xef, 'Alice'),
      adobe,
    ]);

    const output = sanitizeAvatar(input);

    assert.ok(!containsBytes(output.bytes, 'Alice'));
    assert.ok(containsBytes(output.bytes, adobe));
  });

  test('the JFIF thumbnail is removed, its density kept', () => {
    const thumbnail = new Array<number>(3 * 2 * 1).fill(0x5a);
    const jfif = jpegSegment(0xe0, [
      ...latin1('JFIF\0'),
      1,
      2,
      1,
      0,
      72,
      0,
      72,
      2,
      1,
      ...thumbnail,
    ]);
    const input = Uint8Array.from([
      ...greyJpeg().subarray(0, 2),
      ...jfif,
      ...greyJpeg().subarray(20),
    ]);

    const output = sanitizeAvatar(input);

    const app0 = output.bytes.subarray(2, 20);
    assert.deepEqual(
      app0,
      Uint8Array.from([0xff, 0xe0, 0, 16, ...latin1('JFIF\0'), 1, 2, 1, 0, 72, 0, 72, 0, 0]),
    );
  });

  test('restart markers and stuffed bytes in the scan are copied unchanged', () => {
    const output = sanitizeAvatar(restartJpeg());

    assert.deepEqual([output.width, output.height], [64, 8]);
    assert.deepEqual(scanData(output.bytes), RESTART_64X8_SCAN);
    assert.deepEqual(output.bytes, restartJpeg());
  });

  test('a progressive JPEG keeps both of its scans', () => {
    const output = sanitizeAvatar(progressiveJpeg());

    assert.deepEqual([output.width, output.height], [8, 8]);
    assert.deepEqual(output.bytes, progressiveJpeg());
  });

  test('whatever follows EOI is dropped', () => {
    const input = Uint8Array.from([...greyJpeg(), ...latin1('PK\x03\x04 a zip with Alice')]);
    assert.deepEqual(sanitizeAvatar(input).bytes, greyJpeg());
  });

  test('a frame larger than the limits is refused', () => {
    rejects(progressiveJpeg(65_000, 65_000), 'dimensionsTooLarge');
    rejects(jpegWithFrame(SOF0, 5000, 10), 'dimensionsTooLarge');
  });

  test('lossless, hierarchical and arithmetic-coded JPEGs are not supported', () => {
    for (const marker of [0xc3, 0xc5, 0xc9, 0xca]) {
      rejects(jpegWithFrame(marker, 8, 8), 'unsupportedType');
    }
  });

  const corruptCases: Record<string, Uint8Array> = {
    'no frame header': Uint8Array.from([
      0xff,
      0xd8,
      0xff,
      SOS,
      0,
      8,
      1,
      1,
      0,
      0,
      63,
      0,
      0x3f,
      0xff,
      0xd9,
    ]),
    'no image data': Uint8Array.of(0xff, 0xd8, 0xff, 0xd9),
    'a zero height': jpegWithFrame(SOF0, 8, 0),
    'a zero width': jpegWithFrame(SOF0, 0, 8),
    'bytes between segments': Uint8Array.from([
      ...greyJpeg().subarray(0, 20),
      0x00,
      ...greyJpeg().subarray(20),
    ]),
    'a segment longer than the file': Uint8Array.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff, 0x00]),
  };
  for (const [name, bytes] of Object.entries(corruptCases)) {
    test(`a JPEG with ${name} is refused as corrupt`, () => {
      rejects(bytes, 'corrupt');
    });
  }

  test('every truncation of a valid JPEG is refused, as corrupt once the signature is there', () => {
    const jpeg = restartJpeg();
    for (let length = 0; length < jpeg.length; length++) {
      rejects(jpeg.subarray(0, length), length < 3 ? 'unsupportedType' : 'corrupt');
    }
  });
});
