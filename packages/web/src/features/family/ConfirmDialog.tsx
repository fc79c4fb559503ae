import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/Button.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { Banner } from '../../ui/states.tsx';
import { useFamilyError } from './use-family-error.ts';

/**
 * Asks before an action that cannot be undone; shows its error in place. `isReady` lets the
 * caller hold the button until a checkbox of understanding is ticked.
 */
export function ConfirmDialog({
  isOpen,
  title,
  children,
  confirmLabel,
  isDanger = true,
  isReady = true,
  onConfirm,
  onClose,
}: {
  readonly isOpen: boolean;
  readonly title: ReactNode;
  readonly children: ReactNode;
  readonly confirmLabel: string;
  readonly isDanger?: boolean;
  readonly isReady?: boolean;
  /** Resolves when done (the dialog closes) or rejects with the error to show. */
  readonly onConfirm: () => Promise<void>;
  readonly onClose: () => void;
}) {
  const { t } = useTranslation();
  const message = useFamilyError();
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setError(null);
    onClose();
  };
  const confirm = async () => {
    setIsBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (caught) {
      setError(message(caught));
    } finally {
      setIsBusy(false);
    }
  };
  return (
    <Dialog isOpen={isOpen} onClose={close} title={title}>
      <div className="stack">
        {children}
        {error ? <Banner tone="error">{error}</Banner> : null}
        <div className="btn-row">
          <Button
            variant={isDanger ? 'danger' : 'primary'}
            busy={isBusy}
            disabled={!isReady}
            onClick={() => void confirm()}
          >
            {confirmLabel}
          </Button>
          <Button variant="ghost" onClick={close}>
            {t('action.cancel')}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
