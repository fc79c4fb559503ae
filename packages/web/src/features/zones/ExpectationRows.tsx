import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/Button.tsx';
import {
  browserTimeZone,
  expectationProblems,
  groupDays,
  MAX_EXPECTATIONS_PER_ZONE,
  newExpectation,
  toggleDay,
  WEEK,
  type ExpectationDraft,
} from './zone-schedule.ts';

/** "School days 07:50–08:15: alert if not arrived", with the time zone when it is not ours. */
export function useExpectationSummary(): (expectation: ExpectationDraft) => string {
  const { t } = useTranslation('zones');
  return (expectation) => {
    const group = groupDays(expectation.days);
    const days =
      group.kind === 'days'
        ? group.days.map((day) => t(`days.short.${day}`)).join(t('days.separator'))
        : t(`days.${group.kind}`);
    const values = { days, start: expectation.start, end: expectation.end };
    return expectation.timeZone === browserTimeZone()
      ? t('expectations.summary', values)
      : t('expectations.summaryInZone', { ...values, timeZone: expectation.timeZone });
  };
}

function ExpectationRow({
  index,
  expectation,
  onChange,
  onRemove,
}: {
  readonly index: number;
  readonly expectation: ExpectationDraft;
  readonly onChange: (expectation: ExpectationDraft) => void;
  readonly onRemove: () => void;
}) {
  const { t } = useTranslation('zones');
  const summary = useExpectationSummary();
  const id = useId();
  const problems = expectationProblems(expectation);
  const problemId = `${id}-problems`;
  const timeError = problems.includes('endNotAfterStart') || problems.includes('badEnd');
  return (
    <fieldset className="zones__expectation" aria-describedby={problemId}>
      <legend>{t('expectations.row', { n: index + 1 })}</legend>
      <div className="zones__days" role="group" aria-label={t('expectations.days')}>
        {WEEK.map((day) => (
          <label key={day} className="zones__day">
            <input
              type="checkbox"
              checked={expectation.days.includes(day)}
              onChange={() => {
                onChange({ ...expectation, days: toggleDay(expectation.days, day) });
              }}
            />
            <span aria-hidden="true">{t(`days.short.${day}`)}</span>
            <span className="visually-hidden">{t(`days.long.${day}`)}</span>
          </label>
        ))}
      </div>
      <div className="zones__times">
        <div className="field">
          <label htmlFor={`${id}-start`}>{t('expectations.start')}</label>
          <input
            id={`${id}-start`}
            type="time"
            required
            value={expectation.start}
            aria-invalid={problems.includes('badStart') || undefined}
            onChange={(event) => {
              onChange({ ...expectation, start: event.target.value });
            }}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-end`}>{t('expectations.end')}</label>
          <input
            id={`${id}-end`}
            type="time"
            required
            value={expectation.end}
            aria-invalid={timeError || undefined}
            onChange={(event) => {
              onChange({ ...expectation, end: event.target.value });
            }}
          />
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-zone`}>{t('expectations.timeZone')}</label>
        <input
          id={`${id}-zone`}
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={expectation.timeZone}
          aria-invalid={problems.includes('badTimeZone') || undefined}
          onChange={(event) => {
            onChange({ ...expectation, timeZone: event.target.value });
          }}
        />
      </div>
      <div id={problemId}>
        {problems.length === 0 ? (
          <p className="zones__summary">
            <span aria-hidden="true">⏰ </span>
            {summary(expectation)}
          </p>
        ) : (
          <ul className="zones__problems" role="alert">
            {problems.map((problem) => (
              <li key={problem}>{t(`expectations.problems.${problem}`)}</li>
            ))}
          </ul>
        )}
      </div>
      <Button variant="ghost" size="small" onClick={onRemove}>
        <span aria-hidden="true">✕</span> {t('expectations.remove', { n: index + 1 })}
      </Button>
    </fieldset>
  );
}

/** The schedule of one zone: "expect at this zone on these days between these times". */
export function ExpectationRows({
  expectations,
  onChange,
  childName,
}: {
  readonly expectations: readonly ExpectationDraft[];
  readonly onChange: (expectations: readonly ExpectationDraft[]) => void;
  readonly childName: string;
}) {
  const { t } = useTranslation('zones');
  return (
    <section className="zones__section" aria-labelledby="zones-expectations">
      <h3 id="zones-expectations">{t('expectations.title')}</h3>
      <p className="muted small">{t('expectations.intro', { child: childName })}</p>
      {expectations.map((expectation, index) => (
        <ExpectationRow
          key={index}
          index={index}
          expectation={expectation}
          onChange={(changed) => {
            onChange(expectations.map((e, i) => (i === index ? changed : e)));
          }}
          onRemove={() => {
            onChange(expectations.filter((_, i) => i !== index));
          }}
        />
      ))}
      {expectations.length < MAX_EXPECTATIONS_PER_ZONE ? (
        <Button
          size="small"
          onClick={() => {
            onChange([...expectations, newExpectation(browserTimeZone())]);
          }}
        >
          <span aria-hidden="true">＋</span> {t('expectations.add')}
        </Button>
      ) : (
        <p className="muted small">
          {t('expectations.limit', { count: MAX_EXPECTATIONS_PER_ZONE })}
        </p>
      )}
    </section>
  );
}
