/**
 * Media a simulated watch sends: a tiny JPEG for remote photos and AMR-NB clips for voice
 * messages. Both are valid files of their format, small, and carry bytes that the wire must
 * escape, so every simulated photo or voice message exercises the escaping.
 */
import { createRandom } from './seeded-random.ts';

function segment(marker: number, body: readonly number[]): number[] {
  const length = body.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...body];
}

/** A Huffman table with one 1-bit code for symbol 0 (DC difference 0, or end-of-block). */
function singleCodeTable(tableClassAndId: number): number[] {
  const counts = [1, ...new Array<number>(15).fill(0)];
  return segment(0xc4, [tableClassAndId, ...counts, 0x00]);
}

/**
 * An 8x8 mid-grey baseline JPEG (about 160 bytes). Its comment segment holds `}`, `[`, `]`, `,`
 * and `*`, the five bytes the protocol escapes.
 */
export function tinyJpeg(): Buffer {
  const comment = [...Buffer.from('kinwatch simulator photo }[],*', 'latin1')];
  // prettier-ignore
  return Buffer.from([
    0xff, 0xd8, // start of image
    ...segment(0xfe, comment),
    ...segment(0xdb, [0x00, ...new Array<number>(64).fill(1)]), // quantisation: all ones
    ...segment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]), // 8-bit, 8x8, one grey component
    ...singleCodeTable(0x00), // DC table 0
    ...singleCodeTable(0x10), // AC table 0
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]), // scan: component 1, tables 0/0, full spectrum
    // One block: DC difference 0 (code 0), end of block (code 0), padded with 1 bits.
    0x3f,
    0xff, 0xd9, // end of image
  ]);
}

const AMR_MAGIC = '#!AMR\n';
/** AMR-NB 4.75 kbit/s: a 1-byte frame header (mode 0, quality bit set) and 12 bytes of speech. */
const FRAME_HEADER = 0x04;
const FRAME_PAYLOAD_BYTES = 12;
const FRAMES_PER_SECOND = 50;

/**
 * An AMR-NB file of `seconds` length (the format watches record), filled with seeded noise:
 * about 650 bytes a second. The same seed gives the same bytes.
 */
export function amrClip(seconds: number, seed = 1): Buffer {
  const random = createRandom(seed);
  const frames = Math.max(1, Math.round(seconds * FRAMES_PER_SECOND));
  const out = Buffer.alloc(AMR_MAGIC.length + frames * (1 + FRAME_PAYLOAD_BYTES));
  let at = out.write(AMR_MAGIC, 'latin1');
  for (let f = 0; f < frames; f++) {
    out[at++] = FRAME_HEADER;
    for (let b = 0; b < FRAME_PAYLOAD_BYTES; b++) out[at++] = random.integer(0, 255);
  }
  return out;
}
