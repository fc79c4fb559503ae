import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const PUBLIC = fileURLToPath(new URL('../../public/', import.meta.url));
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface ManifestIcon {
  readonly src: string;
  readonly sizes: string;
  readonly type: string;
  readonly purpose?: string;
}

interface Manifest {
  readonly name?: unknown;
  readonly short_name?: unknown;
  readonly start_url?: unknown;
  readonly display?: unknown;
  readonly theme_color?: unknown;
  readonly background_color?: unknown;
  readonly icons?: readonly ManifestIcon[];
}

/** Width and height from a PNG's IHDR chunk, which must come first. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  assert.ok(bytes.subarray(0, 8).equals(PNG_SIGNATURE), 'a PNG signature');
  assert.equal(bytes.toString('ascii', 12, 16), 'IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function themeColourOfStylesheet(): string {
  const css = readFileSync(fileURLToPath(new URL('../ui/styles.css', import.meta.url)), 'utf8');
  const match = /--primary:\s*(#[0-9a-f]{6})/i.exec(css);
  assert.ok(match?.[1], 'styles.css defines --primary');
  return match[1].toLowerCase();
}

describe('web app manifest', () => {
  const manifest = JSON.parse(readFileSync(`${PUBLIC}manifest.webmanifest`, 'utf8')) as Manifest;

  test('has the fields that make the app installable', () => {
    assert.equal(manifest.name, 'Kinwatch');
    assert.equal(typeof manifest.short_name, 'string');
    assert.ok((manifest.short_name as string).length <= 12, 'short enough for a home screen');
    assert.equal(manifest.start_url, '/');
    assert.equal(manifest.display, 'standalone');
  });

  test('uses the colour of the app', () => {
    const primary = themeColourOfStylesheet();
    assert.equal(manifest.theme_color, primary);
    assert.equal(manifest.background_color, primary);
  });

  test('names 192 and 512 pixel PNG icons, one maskable, that exist with those sizes', () => {
    const pngs = (manifest.icons ?? []).filter((icon) => icon.type === 'image/png');
    const sizes = new Set(pngs.map((icon) => icon.sizes));
    assert.ok(sizes.has('192x192') && sizes.has('512x512'), 'a 192 and a 512 icon');
    assert.ok(
      pngs.some((icon) => (icon.purpose ?? 'any').split(' ').includes('maskable')),
      'a maskable icon',
    );
    for (const icon of pngs) {
      const bytes = readFileSync(PUBLIC + icon.src.replace(/^\//, ''));
      const { width, height } = pngSize(bytes);
      assert.equal(`${width}x${height}`, icon.sizes, icon.src);
    }
  });

  test('every icon it names exists', () => {
    for (const icon of manifest.icons ?? []) {
      assert.ok(readFileSync(PUBLIC + icon.src.replace(/^\//, '')).length > 0, icon.src);
    }
  });
});
