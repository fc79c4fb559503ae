import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';

const WIDTH_PX = 640;
const HEIGHT_PX = 480;
const MODULE_PX = 8;
/** The QR standard's quiet zone: four modules of white around the code. */
const QUIET_ZONE_MODULES = 4;
const FRAMES = 5;

const BLACK = 16;
const WHITE = 235;
/** Neutral chroma: the picture is grey. */
const NO_COLOUR = 128;

/**
 * One grey frame (a luma plane, one byte a pixel, row by row) with `text` as a QR code in
 * the middle, black on a white card that includes the quiet zone, on a mid-grey background.
 */
export function qrFrame(text: string): Buffer {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const cardPx = (modules.size + 2 * QUIET_ZONE_MODULES) * MODULE_PX;
  if (cardPx > Math.min(WIDTH_PX, HEIGHT_PX)) throw new Error(`"${text}" is too long to show`);
  const left = Math.floor((WIDTH_PX - cardPx) / 2);
  const top = Math.floor((HEIGHT_PX - cardPx) / 2);
  const luma = Buffer.alloc(WIDTH_PX * HEIGHT_PX, 128);
  for (let y = 0; y < cardPx; y += 1) {
    const row = Math.floor(y / MODULE_PX) - QUIET_ZONE_MODULES;
    for (let x = 0; x < cardPx; x += 1) {
      const column = Math.floor(x / MODULE_PX) - QUIET_ZONE_MODULES;
      const isInCode = row >= 0 && row < modules.size && column >= 0 && column < modules.size;
      const isDark = isInCode && modules.get(row, column) === 1;
      luma[(top + y) * WIDTH_PX + left + x] = isDark ? BLACK : WHITE;
    }
  }
  return luma;
}

/**
 * A YUV4MPEG2 video (4:2:0) that shows `text` as a QR code, for Chromium's fake camera
 * (`--use-file-for-fake-video-capture`), which plays it in a loop. Written to a fresh
 * temporary directory; returns the file's path.
 */
export async function writeQrVideo(text: string): Promise<string> {
  const header = `YUV4MPEG2 W${WIDTH_PX} H${HEIGHT_PX} F10:1 Ip A1:1 C420jpeg\n`;
  const chroma = Buffer.alloc((WIDTH_PX / 2) * (HEIGHT_PX / 2), NO_COLOUR);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), qrFrame(text), chroma, chroma]);
  const video = Buffer.concat([Buffer.from(header), ...Array<Buffer>(FRAMES).fill(frame)]);
  const path = join(await mkdtemp(join(tmpdir(), 'kinwatch-camera-')), 'qr.y4m');
  await writeFile(path, video);
  return path;
}

/** Chromium switches that make `videoPath` the only camera, allowed without asking. */
export function fakeCameraArgs(videoPath: string): string[] {
  return [
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${videoPath}`,
  ];
}
