import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/Button.tsx';

/** Copies a text to the clipboard and says so; says so too when the browser refuses. */
export function CopyButton({ text, label }: { readonly text: string; readonly label: string }) {
  const { t } = useTranslation('bind');
  const [outcome, setOutcome] = useState<'copied' | 'failed' | null>(null);
  useEffect(() => {
    if (outcome === null) return;
    const timer = setTimeout(() => {
      setOutcome(null);
    }, 4000);
    return () => {
      clearTimeout(timer);
    };
  }, [outcome]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setOutcome('copied');
    } catch {
      setOutcome('failed');
    }
  };
  return (
    <span className="row">
      <Button size="small" onClick={() => void copy()} icon={<span aria-hidden="true">⧉</span>}>
        {label}
      </Button>
      <span role="status" className="small">
        {outcome === 'copied' ? `✓ ${t('copy.copied')}` : null}
        {outcome === 'failed' ? t('copy.failed') : null}
      </span>
    </span>
  );
}
