import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  advancePlayback,
  nextPointTime,
  placeAt,
  previousPointTime,
  type TrackPlace,
  type TrackPoint,
} from './track-playback.ts';

export interface Playback {
  readonly startMs: number;
  readonly endMs: number;
  /** The moment shown, within the track. */
  readonly atMs: number;
  readonly place: TrackPlace | null;
  readonly isPlaying: boolean;
  readonly speed: number;
  readonly seek: (atMs: number) => void;
  readonly step: (direction: 1 | -1) => void;
  readonly togglePlaying: () => void;
  readonly setSpeed: (speed: number) => void;
}

/**
 * Playback of a track: a moment that the slider moves, or that animation frames advance at
 * `speed` track seconds per real second. A new track starts again at its beginning.
 */
export function usePlayback(points: readonly TrackPoint[]): Playback {
  const startMs = points[0]?.atMs ?? 0;
  const endMs = points.at(-1)?.atMs ?? 0;
  const [atMs, setAtMs] = useState(startMs);
  const [isPlaying, setIsPlaying] = useState(false);
  const [speed, setSpeed] = useState(60);
  const atRef = useRef(atMs);
  atRef.current = atMs;

  useEffect(() => {
    setAtMs(startMs);
    setIsPlaying(false);
  }, [points, startMs]);

  useEffect(() => {
    if (!isPlaying) return;
    let last = performance.now();
    let frame = requestAnimationFrame(function advance(now: number) {
      const next = advancePlayback(atRef.current, now - last, speed, endMs);
      last = now;
      atRef.current = next.atMs;
      setAtMs(next.atMs);
      if (next.isAtEnd) setIsPlaying(false);
      else frame = requestAnimationFrame(advance);
    });
    return () => {
      cancelAnimationFrame(frame);
    };
  }, [isPlaying, speed, endMs]);

  const clamp = useCallback(
    (value: number) => Math.min(endMs, Math.max(startMs, value)),
    [startMs, endMs],
  );
  const seek = useCallback(
    (value: number) => {
      setAtMs(clamp(value));
    },
    [clamp],
  );
  const step = useCallback(
    (direction: 1 | -1) => {
      setIsPlaying(false);
      const target =
        direction === 1
          ? nextPointTime(points, atRef.current)
          : previousPointTime(points, atRef.current);
      if (target !== null) setAtMs(target);
    },
    [points],
  );
  const togglePlaying = useCallback(() => {
    if (!isPlaying && atRef.current >= endMs) {
      // Playing from the end starts again at the beginning.
      atRef.current = startMs;
      setAtMs(startMs);
    }
    setIsPlaying(!isPlaying);
  }, [isPlaying, startMs, endMs]);
  const place = useMemo(() => placeAt(points, atMs), [points, atMs]);
  return {
    startMs,
    endMs,
    atMs: clamp(atMs),
    place,
    isPlaying,
    speed,
    seek,
    step,
    togglePlaying,
    setSpeed,
  };
}
