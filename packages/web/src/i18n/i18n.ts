import i18next, { type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';

import { initialLanguage, type Language } from './initial-language.ts';

export { LANGUAGES, type Language } from './initial-language.ts';

const STORAGE_KEY = 'kinwatch.language';

// English is bundled with the first screen; Chinese is fetched when it is chosen.
const english = import.meta.glob<{ default: Record<string, unknown> }>('./locales/en/*.json', {
  eager: true,
});
const chinese = import.meta.glob<{ default: Record<string, unknown> }>('./locales/zh/*.json');

function namespaceOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1, -'.json'.length);
}

function bundled(): Resource {
  const resources: Record<string, Record<string, unknown>> = {};
  for (const [path, module] of Object.entries(english))
    resources[namespaceOf(path)] = module.default;
  return { en: resources };
}

async function loadChinese(): Promise<void> {
  if (i18next.hasResourceBundle('zh', 'common')) return;
  const modules = await Promise.all(
    Object.entries(chinese).map(
      async ([path, load]) => [namespaceOf(path), (await load()).default] as const,
    ),
  );
  for (const [namespace, strings] of modules) {
    i18next.addResourceBundle('zh', namespace, strings, true, true);
  }
}

function storedLanguage(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export async function setUpI18n(): Promise<void> {
  const language = initialLanguage(storedLanguage(), navigator.languages);
  await i18next.use(initReactI18next).init({
    resources: bundled(),
    lng: 'en',
    fallbackLng: 'en',
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  if (language !== 'en') await changeLanguage(language);
  else document.documentElement.lang = 'en';
}

export async function changeLanguage(language: Language): Promise<void> {
  if (language === 'zh') await loadChinese();
  await i18next.changeLanguage(language);
  document.documentElement.lang = language === 'zh' ? 'zh-Hans' : 'en';
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

/** The Intl locale of the current language, for dates and numbers. */
export function currentLocale(): string {
  return i18next.language === 'zh' ? 'zh-CN' : 'en-GB';
}
