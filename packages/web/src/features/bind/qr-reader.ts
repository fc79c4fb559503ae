import { scaledFrameSize } from './qr-reading.ts';

/** Reads the QR codes in the video's current frame: their texts, none when there is none. */
export interface QrReader {
  read(video: HTMLVideoElement): Promise<string[]>;
}

// The Barcode Detection API is not in TypeScript's DOM library yet.
interface DetectedBarcode {
  readonly rawValue: string;
}
interface BarcodeDetectorInstance {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorInstance;
  getSupportedFormats?: () => Promise<string[]>;
}

function barcodeDetector(): BarcodeDetectorClass | undefined {
  return (window as unknown as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
}

/** The browser's own reader (Chrome on Android and macOS, Samsung Internet), when it reads QR. */
async function nativeReader(): Promise<QrReader | null> {
  const Detector = barcodeDetector();
  if (Detector === undefined) return null;
  try {
    const formats = (await Detector.getSupportedFormats?.()) ?? ['qr_code'];
    if (!formats.includes('qr_code')) return null;
    const detector = new Detector({ formats: ['qr_code'] });
    return {
      read: async (video) => (await detector.detect(video)).map((code) => code.rawValue),
    };
  } catch {
    // Some builds expose the class but throw when the platform has no barcode service.
    return null;
  }
}

/**
 * jsQR on a canvas copy of the frame, for Firefox, Safari and desktop Chromium. Loaded only
 * here, so the library is fetched when a guardian starts scanning, not with the app.
 */
async function canvasReader(): Promise<QrReader> {
  const { default: decode } = await import('jsqr');
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (context === null) throw new DOMException('no 2D canvas', 'NotSupportedError');
  return {
    read: (video) => {
      const { width, height } = scaledFrameSize(video.videoWidth, video.videoHeight);
      if (width === 0 || height === 0) return Promise.resolve([]);
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
      context.drawImage(video, 0, 0, width, height);
      const frame = context.getImageData(0, 0, width, height);
      const code = decode(frame.data, width, height);
      return Promise.resolve(code === null ? [] : [code.data]);
    },
  };
}

/** The best QR reader this browser has. Throws when it has none (a DOMException). */
export async function openQrReader(): Promise<QrReader> {
  return (await nativeReader()) ?? (await canvasReader());
}
