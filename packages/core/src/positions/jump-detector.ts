import type { WatchId } from '../watches/watch.model.ts';
import { isImpossibleJump, type TimedFix } from './plausibility.ts';

interface Track {
  /** The last fix that passed the check: what the next one is compared with. */
  accepted: TimedFix;
  /** The last fix that failed it, kept to recognise a real move (see `check`). */
  candidate: TimedFix | undefined;
}

/** Watches remembered by default: about 100 bytes each, so about 10 MB at most. */
export const DEFAULT_TRACKED_WATCHES = 100_000;

/**
 * Remembers the last accepted live fix of each watch and flags fixes that no plausible speed
 * reaches from it. Memory is bounded: beyond `maxWatches` the watch heard from least recently
 * is forgotten, and its next fix is accepted unchecked (as after a restart).
 */
export class JumpDetector {
  readonly #tracks = new Map<WatchId, Track>();
  readonly #maxWatches: number;

  constructor(maxWatches: number = DEFAULT_TRACKED_WATCHES) {
    if (!(Number.isSafeInteger(maxWatches) && maxWatches > 0)) {
      throw new RangeError('maxWatches must be a positive integer');
    }
    this.#maxWatches = maxWatches;
  }

  /**
   * True when `fix` is an impossible jump from the watch's last accepted fix. A flagged fix
   * becomes the candidate; when the next fix is plausible from the candidate but not from the
   * accepted one, the watch really moved (or the accepted fix was the wrong one), so the new
   * fix is accepted and the watch is not stuck behind a bad reference. A fix older than the
   * accepted one is checked but never replaces it.
   */
  check(watchId: WatchId, fix: TimedFix): boolean {
    const track = this.#touch(watchId);
    if (track === undefined) {
      this.#remember(watchId, { accepted: fix, candidate: undefined });
      return false;
    }
    const isJump = isImpossibleJump(track.accepted, fix);
    const confirmsCandidate =
      isJump && track.candidate !== undefined && !isImpossibleJump(track.candidate, fix);
    if (isJump && !confirmsCandidate) {
      track.candidate = fix;
      return true;
    }
    if (fix.at.getTime() >= track.accepted.at.getTime()) track.accepted = fix;
    track.candidate = undefined;
    return false;
  }

  /** How many watches are remembered. */
  get size(): number {
    return this.#tracks.size;
  }

  /** The watch's track, moved to the most recently used end of the map. */
  #touch(watchId: WatchId): Track | undefined {
    const track = this.#tracks.get(watchId);
    if (track !== undefined) {
      this.#tracks.delete(watchId);
      this.#tracks.set(watchId, track);
    }
    return track;
  }

  #remember(watchId: WatchId, track: Track): void {
    this.#tracks.set(watchId, track);
    if (this.#tracks.size > this.#maxWatches) {
      const oldest = this.#tracks.keys().next();
      if (oldest.done !== true) this.#tracks.delete(oldest.value);
    }
  }
}
