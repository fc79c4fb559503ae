import { deviceIdFromCode } from './device-id.ts';

/**
 * Longest side, in pixels, of a camera frame handed to the fallback decoder. A phone's camera
 * gives 1280x720 or more; a watch's QR code filling the frame stays readable at 640, and the
 * decoder, on the page's main thread, takes a quarter of the time.
 */
export const MAX_FRAME_SIDE_PX = 640;

/** The size to draw a `width` x `height` frame at: as it is, or shrunk to `maxSidePx`. */
export function scaledFrameSize(
  width: number,
  height: number,
  maxSidePx = MAX_FRAME_SIDE_PX,
): { readonly width: number; readonly height: number } {
  const longest = Math.max(width, height);
  if (longest <= maxSidePx) return { width, height };
  const scale = maxSidePx / longest;
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/** What one look at the camera found. */
export interface CodeReading {
  /** The watch id of the first code that holds one, or null. */
  readonly deviceId: string | null;
  /** A code without a watch id was in view (a shop's URL, a Wi-Fi code...). */
  readonly hasForeignCode: boolean;
}

/** The texts of the QR codes seen in one frame, read as a watch id or a foreign code. */
export function readingOf(texts: readonly string[]): CodeReading {
  let hasForeignCode = false;
  for (const text of texts) {
    const deviceId = deviceIdFromCode(text);
    if (deviceId !== null) return { deviceId, hasForeignCode };
    hasForeignCode = true;
  }
  return { deviceId: null, hasForeignCode };
}
