/** The languages the app is complete in (a test keeps every key in both). */
export const LANGUAGES = ['en', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The language to start in: the guardian's last choice, else the browser's. */
export function initialLanguage(
  stored: string | null,
  browserLanguages: readonly string[],
): Language {
  if (stored === 'en' || stored === 'zh') return stored;
  for (const tag of browserLanguages) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'zh') return 'zh';
    if (base === 'en') return 'en';
  }
  return 'en';
}
