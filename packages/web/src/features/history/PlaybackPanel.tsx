import { useId, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLocale } from '../../i18n/i18n.ts';
import { Button } from '../../ui/Button.tsx';
import { dayKeyOf } from './history-range.ts';
import { formatMoment } from './history-format.ts';
import { PointFacts } from './PointFacts.tsx';
import { PLAYBACK_SPEEDS } from './track-playback.ts';
import { markOf, type HistoryPoint } from './TrackLayers.tsx';
import type { Playback } from './use-playback.ts';

/**
 * The time slider (arrow keys step from fix to fix), play and pause, the speed, and the facts of
 * the fix under the marker.
 */
export function PlaybackPanel({
  points,
  playback,
  timeZone,
  sourcePoints,
}: {
  readonly points: readonly HistoryPoint[];
  readonly playback: Playback;
  readonly timeZone: string;
  readonly sourcePoints: number;
}) {
  const { t } = useTranslation('history');
  const sliderId = useId();
  const speedId = useId();
  const locale = currentLocale();
  const { startMs, endMs, atMs, place } = playback;
  const isMultiDay = dayKeyOf(startMs, timeZone) !== dayKeyOf(endMs, timeZone);
  const timeLabel = formatMoment(atMs, locale, timeZone, isMultiDay);
  const fullLabel = formatMoment(atMs, locale, timeZone, true);
  const point = place ? points[place.previousIndex] : undefined;
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowRight' || event.key === 'ArrowUp') {
      event.preventDefault();
      playback.step(1);
    } else if (event.key === 'ArrowLeft' || event.key === 'ArrowDown') {
      event.preventDefault();
      playback.step(-1);
    }
  };
  const hasMarks = points.some((candidate) => markOf(candidate.position) !== null);
  return (
    <section className="history__panel" aria-label={t('playback.label')}>
      <div className="history__timeline">
        <Button
          size="small"
          variant="primary"
          className="history__play"
          aria-label={playback.isPlaying ? t('playback.pause') : t('playback.play')}
          title={playback.isPlaying ? t('playback.pause') : t('playback.play')}
          disabled={endMs <= startMs}
          onClick={playback.togglePlaying}
        >
          <span aria-hidden="true">{playback.isPlaying ? '❚❚' : '▶'}</span>
        </Button>
        <div className="history__slider">
          <label htmlFor={sliderId} className="history__slider-label">
            <span>{t('playback.time')}</span>
            <output htmlFor={sliderId} className="history__time" data-testid="playback-time">
              {timeLabel}
            </output>
          </label>
          <input
            id={sliderId}
            type="range"
            min={0}
            max={Math.max(0, Math.ceil((endMs - startMs) / 1000))}
            step={1}
            value={Math.round((atMs - startMs) / 1000)}
            aria-valuetext={fullLabel}
            aria-describedby={`${sliderId}-hint`}
            onKeyDown={onKeyDown}
            onChange={(event) => {
              playback.seek(startMs + Number(event.target.value) * 1000);
            }}
          />
          <span id={`${sliderId}-hint`} className="visually-hidden">
            {t('playback.keyboardHint')}
          </span>
        </div>
        <label className="visually-hidden" htmlFor={speedId}>
          {t('playback.speed')}
        </label>
        <select
          id={speedId}
          className="history__speed"
          value={playback.speed}
          title={t('playback.speed')}
          onChange={(event) => {
            playback.setSpeed(Number(event.target.value));
          }}
        >
          {PLAYBACK_SPEEDS.map((speed) => (
            <option key={speed} value={speed}>
              {t('playback.speedValue', { speed })}
            </option>
          ))}
        </select>
      </div>
      <div aria-live={playback.isPlaying ? 'off' : 'polite'} aria-atomic="true">
        {point && place ? (
          <PointFacts
            point={point.position}
            index={place.previousIndex}
            total={points.length}
            isOnPoint={place.isOnPoint}
          />
        ) : null}
      </div>
      <p className="small muted history__legend">
        {t('playback.summary', { count: points.length, recorded: sourcePoints })}{' '}
        {hasMarks ? t('playback.legend') : null}
      </p>
    </section>
  );
}
