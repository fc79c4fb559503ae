/**
 * The plaintext layout of a position's sealed fields: a layout byte, then six little-endian
 * float64 (latitude, longitude, accuracy, speed, course, altitude), NaN standing for null.
 * Alarms use the same layout with the last three null.
 */
export interface SensitivePositionFields {
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly accuracyMeters: number | null;
  readonly speedKmh: number | null;
  readonly courseDegrees: number | null;
  readonly altitudeMeters: number | null;
}

const LAYOUT_V1 = 1;
const FIELD_COUNT = 6;
const ENCODED_BYTES = 1 + FIELD_COUNT * 8;

/** Bytes of one encoded set of fields. */
export const POSITION_FIELDS_BYTES = ENCODED_BYTES;

/** Callers validate first: NaN and infinities are not values a field may hold. */
export function encodePositionFields(fields: SensitivePositionFields): Uint8Array {
  const bytes = Buffer.alloc(ENCODED_BYTES);
  encodePositionFieldsInto(fields, bytes, 0);
  return bytes;
}

/**
 * Writes the encoding at `offset` of `target`, so that a batch can be encoded into one buffer
 * (one allocation instead of one per position, and one buffer to wipe afterwards).
 */
export function encodePositionFieldsInto(
  fields: SensitivePositionFields,
  target: Buffer,
  offset: number,
): void {
  // Field by field rather than in a loop over an array: this runs for every position stored.
  target[offset] = LAYOUT_V1;
  target.writeDoubleLE(fields.latitude ?? Number.NaN, offset + 1);
  target.writeDoubleLE(fields.longitude ?? Number.NaN, offset + 9);
  target.writeDoubleLE(fields.accuracyMeters ?? Number.NaN, offset + 17);
  target.writeDoubleLE(fields.speedKmh ?? Number.NaN, offset + 25);
  target.writeDoubleLE(fields.courseDegrees ?? Number.NaN, offset + 33);
  target.writeDoubleLE(fields.altitudeMeters ?? Number.NaN, offset + 41);
}

/** Whether the bytes are in this layout (a position's opened fields). */
export function isEncodedPositionFields(bytes: Uint8Array): boolean {
  return bytes.byteLength === ENCODED_BYTES && bytes[0] === LAYOUT_V1;
}

/** Throws when the bytes are not this layout (an opened blob that is not a position's). */
export function decodePositionFields(bytes: Uint8Array): SensitivePositionFields {
  if (bytes.byteLength !== ENCODED_BYTES) {
    throw new Error(`sealed position fields have an unknown layout (${bytes.byteLength} bytes)`);
  }
  return decodePositionFieldsAt(asBuffer(bytes), 0);
}

/** The fields encoded at `offset` (of a block); throws when they are not this layout. */
export function decodePositionFieldsAt(bytes: Buffer, offset: number): SensitivePositionFields {
  if (offset < 0 || offset + ENCODED_BYTES > bytes.length || bytes[offset] !== LAYOUT_V1) {
    throw new Error(
      `sealed position fields have an unknown layout (at ${offset} of ${bytes.length})`,
    );
  }
  return {
    latitude: orNull(bytes.readDoubleLE(offset + 1)),
    longitude: orNull(bytes.readDoubleLE(offset + 9)),
    accuracyMeters: orNull(bytes.readDoubleLE(offset + 17)),
    speedKmh: orNull(bytes.readDoubleLE(offset + 25)),
    courseDegrees: orNull(bytes.readDoubleLE(offset + 33)),
    altitudeMeters: orNull(bytes.readDoubleLE(offset + 41)),
  };
}

function orNull(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}
