/**
 * What a browser downloads of the web app's JavaScript for a first screen: index.html's entry
 * script and modulepreload links, every chunk they import statically, and the lazy chunk of
 * the screen itself with its static imports. Sizes are the precompressed `.gz` files the
 * server sends.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, constants } from 'node:zlib';

export interface BundleFigure {
  readonly name: string;
  readonly files: readonly string[];
  readonly rawBytes: number;
  readonly gzipBytes: number;
}

const STATIC_IMPORT = /(?:\bfrom\s*|\bimport\s*)["']\.\/([^"']+\.js)["']/g;

function assetPath(dist: string, href: string): string {
  return join(dist, href.replace(/^\//, ''));
}

/** The chunk and every chunk it imports statically (dynamic `import()` is left out). */
function withStaticImports(dist: string, file: string, into: Set<string>): Set<string> {
  if (into.has(file)) return into;
  into.add(file);
  const text = readFileSync(join(dist, file), 'utf8');
  const folder = file.slice(0, file.lastIndexOf('/') + 1);
  for (const match of text.matchAll(STATIC_IMPORT)) {
    withStaticImports(dist, `${folder}${match[1] ?? ''}`, into);
  }
  return into;
}

/** The entry script and modulepreload links of index.html, as paths inside dist. */
export function entryFiles(dist: string): string[] {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = new Set<string>();
  for (const match of html.matchAll(/<script[^>]*\bsrc="([^"]+\.js)"/g)) files.add(match[1] ?? '');
  for (const match of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)) {
    files.add(match[1] ?? '');
  }
  const all = new Set<string>();
  for (const href of files)
    withStaticImports(dist, assetPath(dist, href).slice(dist.length + 1), all);
  return [...all];
}

/** The lazy chunk whose name starts with `screen` (Vite names chunks after their module). */
export function screenChunk(dist: string, screen: string, assets: readonly string[]): string {
  const file = assets.find((name) => name.startsWith(`${screen}-`) && name.endsWith('.js'));
  if (file === undefined) throw new Error(`no chunk for ${screen} in ${join(dist, 'assets')}`);
  return `assets/${file}`;
}

function gzipSize(path: string): number {
  const gz = `${path}.gz`;
  if (existsSync(gz)) return statSync(gz).size;
  return gzipSync(readFileSync(path), { level: constants.Z_BEST_COMPRESSION }).length;
}

export function figure(
  dist: string,
  name: string,
  entry: readonly string[],
  screens: readonly string[],
): BundleFigure {
  const files = new Set(entry);
  for (const screen of screens) withStaticImports(dist, screen, files);
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    rawBytes += statSync(join(dist, file)).size;
    gzipBytes += gzipSize(join(dist, file));
  }
  return { name, files: [...files].sort(), rawBytes, gzipBytes };
}
