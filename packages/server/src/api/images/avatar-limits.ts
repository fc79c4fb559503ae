import { corruptImage, ImageRejectedError } from './image-rejected-error.ts';

/** What an avatar upload may be at most. */
export interface AvatarLimits {
  /** Size of the uploaded file. */
  readonly maxBytes: number;
  readonly maxWidthPixels: number;
  readonly maxHeightPixels: number;
  /** Width × height: what a decoder allocates, so what bounds a decompression bomb. */
  readonly maxPixelCount: number;
}

/** 2 MiB, 4096 × 4096, about 16.8 megapixels: far above any watch or phone avatar. */
export const DEFAULT_AVATAR_LIMITS: AvatarLimits = Object.freeze({
  maxBytes: 2 * 1024 * 1024,
  maxWidthPixels: 4096,
  maxHeightPixels: 4096,
  maxPixelCount: 4096 * 4096,
});

/**
 * Refuses an image whose declared size is empty (corrupt) or over the limits
 * (dimensionsTooLarge). Called as soon as a header gives the size, before reading further.
 */
export function checkDimensions(width: number, height: number, limits: AvatarLimits): void {
  if (width < 1 || height < 1) throw corruptImage('the image declares no pixels');
  if (
    width > limits.maxWidthPixels ||
    height > limits.maxHeightPixels ||
    width * height > limits.maxPixelCount
  ) {
    const megapixels = (limits.maxPixelCount / 1_000_000).toFixed(1);
    throw new ImageRejectedError(
      'dimensionsTooLarge',
      `The image is ${width}×${height} pixels; avatars may be at most ` +
        `${limits.maxWidthPixels}×${limits.maxHeightPixels} pixels and ${megapixels} megapixels.`,
    );
  }
}
