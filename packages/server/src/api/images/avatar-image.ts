/**
 * Avatar uploads: the type is decided by the file's own bytes, the size and pixel count are
 * bounded, and the file is rebuilt from the parts needed to draw it, so that EXIF (with its GPS
 * position), XMP, comments and camera serials never reach storage or other guardians.
 * docs/images.md explains the choices.
 */
import { DEFAULT_AVATAR_LIMITS, type AvatarLimits } from './avatar-limits.ts';
import { startsWithBytes } from './byte-fields.ts';
import { ImageRejectedError } from './image-rejected-error.ts';
import { JPEG_SIGNATURE, sanitizeJpeg } from './jpeg-avatar.ts';
import { PNG_SIGNATURE, sanitizePng } from './png-avatar.ts';
import { isWebp, sanitizeWebp } from './webp-avatar.ts';

export { DEFAULT_AVATAR_LIMITS, type AvatarLimits } from './avatar-limits.ts';
export { ImageRejectedError, type ImageRejectionReason } from './image-rejected-error.ts';

export type AvatarMediaType = 'image/png' | 'image/jpeg' | 'image/webp';

/** An image safe to store and serve: its own media type, stripped bytes, pixel size. */
export interface SanitizedImage {
  readonly mediaType: AvatarMediaType;
  /** A new array holding the rebuilt file; never the caller's buffer. */
  readonly bytes: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/**
 * Checks and strips an uploaded avatar. The file name and the client's Content-Type are not
 * inputs on purpose: only the bytes decide. Pixel data is copied as it is, not decoded.
 *
 * Throws ImageRejectedError, and nothing else, when the file is over `limits.maxBytes`
 * (checked before any parsing), is not a PNG, JPEG or WebP, is damaged or truncated, declares
 * more pixels than the limits allow, or is animated.
 */
export function sanitizeAvatar(
  bytes: Uint8Array,
  limits: AvatarLimits = DEFAULT_AVATAR_LIMITS,
): SanitizedImage {
  if (bytes.length > limits.maxBytes) {
    const mebibytes = limits.maxBytes / (1024 * 1024);
    throw new ImageRejectedError(
      'tooLarge',
      `The image is larger than the ${formatLimit(mebibytes)} MiB allowed for avatars.`,
    );
  }
  if (startsWithBytes(bytes, PNG_SIGNATURE)) {
    return { mediaType: 'image/png', ...sanitizePng(bytes, limits) };
  }
  if (startsWithBytes(bytes, JPEG_SIGNATURE)) {
    return { mediaType: 'image/jpeg', ...sanitizeJpeg(bytes, limits) };
  }
  if (isWebp(bytes)) return { mediaType: 'image/webp', ...sanitizeWebp(bytes, limits) };
  throw new ImageRejectedError(
    'unsupportedType',
    'Avatars must be PNG, JPEG or WebP images; this file is none of these.',
  );
}

function formatLimit(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
