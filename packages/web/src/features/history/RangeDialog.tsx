import { useEffect, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/Button.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { TextField } from '../../ui/TextField.tsx';
import {
  MAX_RANGE_DAYS,
  parseLocalDateTime,
  rangeProblem,
  toLocalDateTime,
  type TimeRange,
} from './history-range.ts';

/**
 * A custom period, start and end in the guardian's time zone. It is checked here against the
 * server's rules (not reversed, at most 31 days) so that a mistake is explained at once.
 */
export function RangeDialog({
  isOpen,
  initial,
  timeZone,
  onClose,
  onChoose,
}: {
  readonly isOpen: boolean;
  readonly initial: TimeRange;
  readonly timeZone: string;
  readonly onClose: () => void;
  readonly onChoose: (range: TimeRange) => void;
}) {
  const { t } = useTranslation('history');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [isChecked, setIsChecked] = useState(false);
  useEffect(() => {
    if (!isOpen) return;
    setFrom(toLocalDateTime(initial.fromMs, timeZone));
    setTo(toLocalDateTime(Math.min(initial.toMs, Date.now() + 60_000), timeZone));
    setIsChecked(false);
    // Filled in afresh each time the dialog opens.
  }, [isOpen]);
  const fromMs = parseLocalDateTime(from, timeZone);
  const toMs = parseLocalDateTime(to, timeZone);
  const problem = rangeProblem(fromMs, toMs);
  const fromError = isChecked && fromMs === null ? t('range.errors.missingFrom') : null;
  let toError: string | null = null;
  if (isChecked && toMs === null) toError = t('range.errors.missingTo');
  else if (isChecked && problem === 'invalidRange') toError = t('range.errors.invalidRange');
  else if (isChecked && problem === 'rangeTooLarge')
    toError = t('range.errors.rangeTooLarge', { days: MAX_RANGE_DAYS });
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setIsChecked(true);
    if (problem === null && fromMs !== null && toMs !== null) onChoose({ fromMs, toMs });
  };
  return (
    <Dialog isOpen={isOpen} onClose={onClose} title={t('range.title')}>
      <form onSubmit={submit} noValidate>
        <p className="muted small">{t('range.hint', { days: MAX_RANGE_DAYS })}</p>
        <TextField
          label={t('range.from')}
          type="datetime-local"
          value={from}
          error={fromError}
          onChange={(event) => {
            setFrom(event.target.value);
          }}
        />
        <TextField
          label={t('range.to')}
          type="datetime-local"
          value={to}
          error={toError}
          onChange={(event) => {
            setTo(event.target.value);
          }}
        />
        <div className="btn-row">
          <Button type="submit" variant="primary">
            {t('range.show')}
          </Button>
          <Button onClick={onClose}>{t('common:action.cancel')}</Button>
        </div>
      </form>
    </Dialog>
  );
}
