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

/** Callers validate first: NaN and infinities are not values a field may hold. */
export function encodePositionFields(fields: SensitivePositionFields): Uint8Array {
  const bytes = new Uint8Array(ENCODED_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, LAYOUT_V1);
  const values = [
    fields.latitude,
    fields.longitude,
    fields.accuracyMeters,
    fields.speedKmh,
    fields.courseDegrees,
    fields.altitudeMeters,
  ];
  values.forEach((value, index) => {
    view.setFloat64(1 + index * 8, value ?? Number.NaN, true);
  });
  return bytes;
}

/** Throws when the bytes are not this layout (an opened blob that is not a position's). */
export function decodePositionFields(bytes: Uint8Array): SensitivePositionFields {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength !== ENCODED_BYTES || view.getUint8(0) !== LAYOUT_V1) {
    throw new Error(`sealed position fields have an unknown layout (${bytes.byteLength} bytes)`);
  }
  const field = (index: number): number | null => {
    const value = view.getFloat64(1 + index * 8, true);
    return Number.isNaN(value) ? null : value;
  };
  return {
    latitude: field(0),
    longitude: field(1),
    accuracyMeters: field(2),
    speedKmh: field(3),
    courseDegrees: field(4),
    altitudeMeters: field(5),
  };
}
