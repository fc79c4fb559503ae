import { PositionJsonBuffer } from '@kinwatch/core';

/**
 * A history page as JSON bytes, in the shape of the route's schema (`HISTORY_PAGE`), written
 * into one `PositionJsonBuffer`: the page's opening bytes here, the positions by the store
 * (ready-made in blocks for most of a day's positions; docs/adr/0008-position-json-in-blocks.md),
 * the closing bytes with the cursor here. The buffer's chunks are then put together once, in
 * a buffer of the page's size: sending them as a stream instead took longer, over HTTP and
 * through inject alike (bench/history.bench.ts).
 */
export function openPositionPage(): PositionJsonBuffer {
  const json = new PositionJsonBuffer();
  json.raw(PAGE_START);
  return json;
}

/** Closes the page opened by `openPositionPage`: its bytes. */
export function closePositionPage(json: PositionJsonBuffer, nextCursor: string | null): Buffer {
  json.raw(PAGE_CURSOR);
  json.text(nextCursor === null ? 'null' : JSON.stringify(nextCursor));
  json.raw(PAGE_END);
  const chunks = json.chunks();
  const [only] = chunks;
  if (chunks.length === 1 && only !== undefined) {
    return Buffer.from(only.buffer, only.byteOffset, only.length);
  }
  return Buffer.concat(chunks, json.length);
}

const PAGE_START = Buffer.from('{"positions":[', 'latin1');
const PAGE_CURSOR = Buffer.from('],"nextCursor":', 'latin1');
const PAGE_END = Buffer.from('}', 'latin1');
