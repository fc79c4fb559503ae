// Test helpers shared by the position-block suites.
import type { FieldCipher, WatchId } from '@kinwatch/core';
import type { SqlPositionBlocks } from './position-blocks.ts';

/** Counts the values a cipher opens. */
export class CountingCipher implements FieldCipher {
  opened = 0;
  readonly #cipher: FieldCipher;

  constructor(cipher: FieldCipher) {
    this.#cipher = cipher;
  }

  seal(watchId: WatchId, plaintext: Uint8Array): Promise<Uint8Array> {
    return this.#cipher.seal(watchId, plaintext);
  }

  open(watchId: WatchId, sealed: Uint8Array): Promise<Uint8Array> {
    this.opened += 1;
    return this.#cipher.open(watchId, sealed);
  }

  openMany(watchId: WatchId, sealed: readonly Uint8Array[]): Promise<Uint8Array[]> {
    this.opened += sealed.length;
    return this.#cipher.openMany(watchId, sealed);
  }

  destroyKey(watchId: WatchId): Promise<void> {
    return this.#cipher.destroyKey(watchId);
  }
}

/** What the job does in a run: every due hour's block, then the progress. */
export async function makeBlocks(
  blocks: SqlPositionBlocks,
  receivedBefore: Date,
  hoursPerPass = 50,
): Promise<number> {
  let written = 0;
  for (;;) {
    const due = await blocks.dueHours(receivedBefore, hoursPerPass);
    for (const { watchId, hourStart } of due.hours) {
      if (await blocks.build(watchId, hourStart)) written += 1;
    }
    if (due.throughId !== undefined) await blocks.finish(due.throughId);
    if (due.isComplete) return written;
  }
}
