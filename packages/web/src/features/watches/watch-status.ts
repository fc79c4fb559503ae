/** At or below this the list warns; the server raises a low-battery alert at the same level. */
export const LOW_BATTERY_PERCENT = 15;

export type BatteryLevel = 'unknown' | 'low' | 'ok';

export function batteryLevel(percent: number | null | undefined): BatteryLevel {
  if (percent === null || percent === undefined) return 'unknown';
  return percent <= LOW_BATTERY_PERCENT ? 'low' : 'ok';
}

/** Signal strength as 0 to 4 bars, the way phones show it; null when unknown. */
export function signalBars(percent: number | null | undefined): number | null {
  if (percent === null || percent === undefined) return null;
  const clamped = Math.min(100, Math.max(0, percent));
  return Math.min(4, Math.ceil(clamped / 25));
}

/** Up to two letters of a name, for an avatar without a photo. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const firstGrapheme = (word: string) =>
    segmenter.segment(word)[Symbol.iterator]().next().value?.segment ?? '';
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words.slice(0, 1);
  const initials = letters.map((word) => firstGrapheme(word ?? '')).join('');
  return initials === '' ? '?' : initials.toLocaleUpperCase();
}
