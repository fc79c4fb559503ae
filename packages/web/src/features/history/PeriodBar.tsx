import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLocale } from '../../i18n/i18n.ts';
import { Button } from '../../ui/Button.tsx';
import { formatRange } from './history-format.ts';
import { addDays, dayKeyOf, isDayKey, periodRange, type Period } from './history-range.ts';
import { RangeDialog } from './RangeDialog.tsx';

/** Which day (previous, next, or any from the calendar) or which custom range is shown. */
export function PeriodBar({
  period,
  timeZone,
  onChange,
}: {
  readonly period: Period;
  readonly timeZone: string;
  readonly onChange: (period: Period) => void;
}) {
  const { t } = useTranslation('history');
  const dayInputId = useId();
  const [isChoosingRange, setIsChoosingRange] = useState(false);
  const today = dayKeyOf(Date.now(), timeZone);
  const range = periodRange(period, timeZone);
  return (
    <div className="history__bar" role="group" aria-label={t('period.label')}>
      {period.kind === 'day' ? (
        <>
          <Button
            size="small"
            aria-label={t('period.previousDay')}
            title={t('period.previousDay')}
            onClick={() => {
              onChange({ kind: 'day', day: addDays(period.day, -1) });
            }}
          >
            <span aria-hidden="true">‹</span>
          </Button>
          <label className="visually-hidden" htmlFor={dayInputId}>
            {t('period.day')}
          </label>
          <input
            id={dayInputId}
            className="history__day"
            type="date"
            value={period.day}
            max={today}
            required
            onChange={(event) => {
              const day = event.target.value;
              if (isDayKey(day)) onChange({ kind: 'day', day });
            }}
          />
          <Button
            size="small"
            aria-label={t('period.nextDay')}
            title={t('period.nextDay')}
            disabled={period.day >= today}
            onClick={() => {
              onChange({ kind: 'day', day: addDays(period.day, 1) });
            }}
          >
            <span aria-hidden="true">›</span>
          </Button>
          {period.day === today ? null : (
            <Button
              size="small"
              variant="ghost"
              onClick={() => {
                onChange({ kind: 'day', day: today });
              }}
            >
              {t('period.today')}
            </Button>
          )}
        </>
      ) : (
        <>
          <span className="history__range-label">
            {formatRange(range, currentLocale(), timeZone)}
          </span>
          <Button
            size="small"
            variant="ghost"
            onClick={() => {
              onChange({ kind: 'day', day: dayKeyOf(range.fromMs, timeZone) });
            }}
          >
            {t('period.oneDay')}
          </Button>
        </>
      )}
      <span className="spacer" />
      <Button
        size="small"
        aria-haspopup="dialog"
        onClick={() => {
          setIsChoosingRange(true);
        }}
      >
        {t('period.custom')}
      </Button>
      <RangeDialog
        isOpen={isChoosingRange}
        initial={range}
        timeZone={timeZone}
        onClose={() => {
          setIsChoosingRange(false);
        }}
        onChoose={(chosen) => {
          setIsChoosingRange(false);
          onChange({ kind: 'custom', ...chosen });
        }}
      />
    </div>
  );
}
