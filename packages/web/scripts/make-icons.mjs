// Draws the app icon of public/icon.svg (a teal rounded square with a white map pin) into the
// PNG icons the web app manifest and iOS need: public/icon-192.png, public/icon-512.png, and a
// full-bleed public/icon-maskable-512.png whose pin stays inside the maskable safe zone.
// Pure Node, no image library: shapes are rasterized with 4x4 supersampling and the PNG is
// encoded with node:zlib. Run with `node packages/web/scripts/make-icons.mjs`.
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const PUBLIC = new URL('../public/', import.meta.url);
const TEAL = [0x0b, 0x6e, 0x69];
const WHITE = [0xff, 0xff, 0xff];
/** The SVG's coordinate system: a 64 x 64 view box. */
const VIEW = 64;
const SAMPLES = 4;

// The pin of icon.svg, "M32 12c-8.3 0-15 6.5-15 14.6C17 37.5 32 52 32 52s15-14.5 15-25.4
// C47 18.5 40.3 12 32 12z", as absolute cubic segments [start, control 1, control 2, end].
const PIN_CURVES = [
  [
    [32, 12],
    [23.7, 12],
    [17, 18.5],
    [17, 26.6],
  ],
  [
    [17, 26.6],
    [17, 37.5],
    [32, 52],
    [32, 52],
  ],
  [
    [32, 52],
    [32, 52],
    [47, 37.5],
    [47, 26.6],
  ],
  [
    [47, 26.6],
    [47, 18.5],
    [40.3, 12],
    [32, 12],
  ],
];
const PIN_HOLE = { x: 32, y: 27, r: 6 };

function cubicPoint([p0, p1, p2, p3], t) {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return [
    a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
    a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1],
  ];
}

/** The pin outline as a polygon, each curve cut into short straight pieces. */
function pinPolygon() {
  const points = [];
  for (const curve of PIN_CURVES) {
    for (let step = 0; step < 64; step += 1) points.push(cubicPoint(curve, step / 64));
  }
  return points;
}

function isInsidePolygon(polygon, x, y) {
  let isInside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i, i += 1) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) isInside = !isInside;
  }
  return isInside;
}

function isInsideRoundedSquare(x, y, radius) {
  if (x < 0 || y < 0 || x > VIEW || y > VIEW) return false;
  const cx = Math.min(Math.max(x, radius), VIEW - radius);
  const cy = Math.min(Math.max(y, radius), VIEW - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

/**
 * The colour and coverage of one point in view-box units: the square (rounded, or full bleed
 * for a maskable icon), the pin scaled by `pinScale` about the centre, and the pin's hole.
 */
function shade(x, y, options, polygon) {
  const radius = options.isMaskable ? 0 : 14;
  if (!isInsideRoundedSquare(x, y, radius)) return null;
  const px = (x - VIEW / 2) / options.pinScale + VIEW / 2;
  const py = (y - VIEW / 2) / options.pinScale + VIEW / 2;
  const isHole = (px - PIN_HOLE.x) ** 2 + (py - PIN_HOLE.y) ** 2 <= PIN_HOLE.r ** 2;
  if (!isHole && px >= 17 && px <= 47 && py >= 12 && py <= 52 && isInsidePolygon(polygon, px, py)) {
    return WHITE;
  }
  return TEAL;
}

/** The icon as 8-bit RGBA pixels with straight (not premultiplied) alpha, as PNG stores it. */
function drawIcon(size, options) {
  const polygon = pinPolygon();
  const pixels = Buffer.alloc(size * size * 4);
  const scale = VIEW / size;
  for (let row = 0; row < size; row += 1) {
    for (let column = 0; column < size; column += 1) {
      let red = 0;
      let green = 0;
      let blue = 0;
      let covered = 0;
      for (let sy = 0; sy < SAMPLES; sy += 1) {
        for (let sx = 0; sx < SAMPLES; sx += 1) {
          const x = (column + (sx + 0.5) / SAMPLES) * scale;
          const y = (row + (sy + 0.5) / SAMPLES) * scale;
          const colour = shade(x, y, options, polygon);
          if (colour === null) continue;
          red += colour[0];
          green += colour[1];
          blue += colour[2];
          covered += 1;
        }
      }
      const offset = (row * size + column) * 4;
      if (covered > 0) {
        pixels[offset] = Math.round(red / covered);
        pixels[offset + 1] = Math.round(green / covered);
        pixels[offset + 2] = Math.round(blue / covered);
      }
      pixels[offset + 3] = Math.round((covered / (SAMPLES * SAMPLES)) * 255);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A PNG of 8-bit RGBA pixels, every row with filter type 0 (none). */
function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let row = 0; row < height; row += 1) {
    rgba.copy(rows, row * (width * 4 + 1) + 1, row * width * 4, (row + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const ICONS = [
  { file: 'icon-192.png', size: 192, isMaskable: false, pinScale: 1 },
  { file: 'icon-512.png', size: 512, isMaskable: false, pinScale: 1 },
  // The maskable safe zone is the centre circle of 80 % of the width: the pin shrinks to fit.
  { file: 'icon-maskable-512.png', size: 512, isMaskable: true, pinScale: 0.8 },
];

for (const icon of ICONS) {
  const png = encodePng(icon.size, icon.size, drawIcon(icon.size, icon));
  writeFileSync(new URL(icon.file, PUBLIC), png);
  console.log(`${icon.file}: ${icon.size}x${icon.size}, ${png.length} bytes`);
}
