/**
 * Small valid JPEGs for the avatar tests, composed segment by segment from the structure of
 * ITU-T T.81 (no encoder is involved), and a reader of the output's segment markers.
 */
import { CAMERA_SERIAL, latin1 } from './avatar-test-bytes.ts';
import { concatBytes } from './byte-fields.ts';

export function jpegSegment(marker: number, payload: Uint8Array | readonly number[]): Uint8Array {
  const data = Uint8Array.from(payload);
  return concatBytes([
    Uint8Array.of(0xff, marker, (data.length + 2) >> 8, (data.length + 2) & 0xff),
    data,
  ]);
}

const SOI = Uint8Array.of(0xff, 0xd8);
const EOI = Uint8Array.of(0xff, 0xd9);
const JFIF = jpegSegment(0xe0, [...latin1('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
/** Quantization table 0, every step 1. */
const DQT = jpegSegment(0xdb, [0x00, ...new Array<number>(64).fill(1)]);
/**
 * DC table 0: "0" codes difference category 0, "10" codes category 8. AC table 0: "0" codes
 * EOB. No code is all ones, as T.81 C requires.
 */
const DHT_DC = jpegSegment(0xc4, [0x00, 1, 1, ...new Array<number>(14).fill(0), 0x00, 0x08]);
const DHT_AC = jpegSegment(0xc4, [0x10, 1, ...new Array<number>(15).fill(0), 0x00]);
/** One grey component, tables 0 and 0, full spectral range. */
const SOS_GREY = jpegSegment(0xda, [1, 1, 0x00, 0, 63, 0]);

function sof(marker: number, width: number, height: number): Uint8Array {
  return jpegSegment(marker, [
    8,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    1,
    1,
    0x11,
    0,
  ]);
}

/**
 * The entropy-coded data of the 8×8 grey image: DC difference 0 ("0"), then EOB ("0"), padded
 * with one bits: 0b00111111. Every pixel decodes to 128.
 */
export const GREY_8X8_SCAN = Uint8Array.of(0x3f);

/**
 * 64×8 grey, eight blocks, restart interval 4. Each interval is three blocks of DC 0 and one of
 * DC +255 ("10" then eight one bits): 000000 10 | 11111111 | 0 1111111. The middle byte is 0xFF,
 * so it is stuffed as FF 00; RST0 separates the two intervals.
 */
export const RESTART_64X8_SCAN = Uint8Array.of(
  0x02,
  0xff,
  0x00,
  0x7f,
  0xff,
  0xd0,
  0x02,
  0xff,
  0x00,
  0x7f,
);

export const JPEG_COMMENT = 'Taken at 51.5,-0.1 by Alice';

/** An APP1 EXIF segment: header, a TIFF header, then the camera serial as a marker string. */
export function exifSegment(): Uint8Array {
  return jpegSegment(0xe1, [...latin1('Exif\0\0MM\0*\0\0\0\x08'), ...latin1(CAMERA_SERIAL)]);
}

export function greyJpeg(extraSegments: readonly Uint8Array[] = []): Uint8Array {
  return concatBytes([
    SOI,
    JFIF,
    ...extraSegments,
    DQT,
    sof(0xc0, 8, 8),
    DHT_DC,
    DHT_AC,
    SOS_GREY,
    GREY_8X8_SCAN,
    EOI,
  ]);
}

export function restartJpeg(): Uint8Array {
  const dri = jpegSegment(0xdd, [0, 4]);
  return concatBytes([
    SOI,
    JFIF,
    DQT,
    sof(0xc0, 64, 8),
    DHT_DC,
    DHT_AC,
    dri,
    SOS_GREY,
    RESTART_64X8_SCAN,
    EOI,
  ]);
}

/** Progressive 8×8 grey: a DC scan then an AC scan, each a single "0" code padded (0x7F). */
export function progressiveJpeg(width = 8, height = 8): Uint8Array {
  const dcScan = jpegSegment(0xda, [1, 1, 0x00, 0, 0, 0]);
  const acScan = jpegSegment(0xda, [1, 1, 0x00, 1, 63, 0]);
  return concatBytes([
    SOI,
    JFIF,
    DQT,
    sof(0xc2, width, height),
    DHT_DC,
    DHT_AC,
    dcScan,
    Uint8Array.of(0x7f),
    acScan,
    Uint8Array.of(0x7f),
    EOI,
  ]);
}

export function jpegWithFrame(marker: number, width: number, height: number): Uint8Array {
  return concatBytes([
    SOI,
    DQT,
    sof(marker, width, height),
    DHT_DC,
    DHT_AC,
    SOS_GREY,
    GREY_8X8_SCAN,
    EOI,
  ]);
}

/** The marker of every segment, in order, up to the first SOS (the stream's table of contents). */
export function jpegMarkers(bytes: Uint8Array): number[] {
  const markers: number[] = [];
  let offset = 2;
  while (offset + 4 <= bytes.length && bytes[offset] === 0xff) {
    const marker = bytes[offset + 1] ?? 0;
    markers.push(marker);
    if (marker === 0xda) break;
    offset += 2 + ((bytes[offset + 2] ?? 0) << 8) + (bytes[offset + 3] ?? 0);
  }
  return markers;
}
