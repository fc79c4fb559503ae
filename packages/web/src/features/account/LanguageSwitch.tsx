import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { changeLanguage, LANGUAGES, type Language } from '../../i18n/i18n.ts';
import './language-switch.css';

/** Each language's own name, short enough to sit beside the logo on a phone. */
const SHORT_NAMES: Readonly<Record<Language, string>> = { en: 'English', zh: '中文' };

/**
 * English / 中文 as two radio buttons, each named in its own language so that a guardian who
 * cannot read the current one still finds theirs. The choice is kept on this device.
 */
export function LanguageSwitch({ compact = false }: { readonly compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const [pending, setPending] = useState<Language | null>(null);
  const current: Language = i18n.language === 'zh' ? 'zh' : 'en';
  const choose = (language: Language) => {
    if (language === current) return;
    setPending(language);
    changeLanguage(language)
      .catch(() => undefined)
      .finally(() => {
        setPending(null);
      });
  };
  return (
    <fieldset className={compact ? 'language-switch language-switch--compact' : 'language-switch'}>
      <legend className={compact ? 'visually-hidden' : undefined}>
        <span aria-hidden="true">🌐 </span>
        {t('language.label')}
      </legend>
      <div className="choice-switch" aria-busy={pending !== null || undefined}>
        {LANGUAGES.map((language) => (
          <label
            key={language}
            className="choice-switch__option"
            lang={language === 'zh' ? 'zh-Hans' : 'en'}
          >
            <input
              type="radio"
              name={compact ? 'language-compact' : 'language'}
              value={language}
              checked={(pending ?? current) === language}
              onChange={() => {
                choose(language);
              }}
            />
            <span>
              <span className="choice-switch__tick" aria-hidden="true">
                ✓
              </span>
              {compact ? SHORT_NAMES[language] : t(`language.${language}`)}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
