import { useEffect, useId, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { Button } from '../../ui/Button.tsx';
import { RelativeTime } from '../../ui/RelativeTime.tsx';
import { TextField } from '../../ui/TextField.tsx';
import { Banner, useErrorMessage } from '../../ui/states.tsx';
import { ExpectationRows } from './ExpectationRows.tsx';
import type { ChildFix } from './use-child-position.ts';
import {
  draftProblems,
  MAX_ZONE_NAME_LENGTH,
  shapeProblems,
  withCentre,
  withLastVertexRemoved,
  withRadius,
  withVertexAdded,
  type ZoneDraft,
} from './zone-draft.ts';
import {
  MAX_POLYGON_VERTICES,
  MAX_RADIUS_METERS,
  MIN_POLYGON_VERTICES,
  MIN_RADIUS_METERS,
  selfIntersection,
  type LatLon,
} from './zone-geometry.ts';

/** The slider covers the usual sizes; the number field takes anything the server accepts. */
const SLIDER_MAX_METERS = 2_000;

function parseCoordinate(text: string): number | null {
  const value = Number(text.trim().replace(',', '.'));
  return text.trim() === '' || !Number.isFinite(value) ? null : value;
}

const formatCoordinate = (value: number) => value.toFixed(6);

/** Latitude and longitude as typed numbers: the way to place a centre without a pointer. */
function CoordinateFields({
  centre,
  onChange,
}: {
  readonly centre: LatLon | null;
  readonly onChange: (centre: LatLon) => void;
}) {
  const { t } = useTranslation('zones');
  const [latitude, setLatitude] = useState(centre ? formatCoordinate(centre.latitude) : '');
  const [longitude, setLongitude] = useState(centre ? formatCoordinate(centre.longitude) : '');
  // A tap or a drag moved the centre: show it, unless the fields already say the same.
  useEffect(() => {
    if (centre === null) return;
    if (parseCoordinate(latitude) !== centre.latitude) {
      setLatitude(formatCoordinate(centre.latitude));
    }
    if (parseCoordinate(longitude) !== centre.longitude) {
      setLongitude(formatCoordinate(centre.longitude));
    }
    // Only a change of the centre itself re-fills the fields.
  }, [centre]);
  const commit = (latText: string, lonText: string) => {
    const lat = parseCoordinate(latText);
    const lon = parseCoordinate(lonText);
    if (lat !== null && lon !== null && Math.abs(lat) <= 85 && Math.abs(lon) <= 180) {
      onChange({ latitude: lat, longitude: lon });
    }
  };
  const latValue = parseCoordinate(latitude);
  const lonValue = parseCoordinate(longitude);
  return (
    <div className="zones__coordinates">
      <TextField
        label={t('editor.latitude')}
        inputMode="decimal"
        autoComplete="off"
        value={latitude}
        error={
          latitude !== '' && (latValue === null || Math.abs(latValue) > 85)
            ? t('editor.latitudeInvalid')
            : null
        }
        onChange={(event) => {
          setLatitude(event.target.value);
          commit(event.target.value, longitude);
        }}
      />
      <TextField
        label={t('editor.longitude')}
        inputMode="decimal"
        autoComplete="off"
        value={longitude}
        error={
          longitude !== '' && (lonValue === null || Math.abs(lonValue) > 180)
            ? t('editor.longitudeInvalid')
            : null
        }
        onChange={(event) => {
          setLongitude(event.target.value);
          commit(latitude, event.target.value);
        }}
      />
    </div>
  );
}

function RadiusFields({
  radiusMeters,
  onChange,
}: {
  readonly radiusMeters: number;
  readonly onChange: (radiusMeters: number) => void;
}) {
  const { t } = useTranslation('zones');
  const id = useId();
  const [text, setText] = useState(String(radiusMeters));
  useEffect(() => {
    if (Number(text) !== radiusMeters) setText(String(radiusMeters));
    // Only a change from elsewhere (slider, drag) re-fills the field.
  }, [radiusMeters]);
  const typed = Number(text);
  const isOutOfRange =
    text.trim() === '' || !(typed >= MIN_RADIUS_METERS && typed <= MAX_RADIUS_METERS);
  return (
    <div className="zones__radius">
      <div className="field">
        <label htmlFor={`${id}-slider`}>{t('editor.radiusSlider')}</label>
        <input
          id={`${id}-slider`}
          type="range"
          min={MIN_RADIUS_METERS}
          max={SLIDER_MAX_METERS}
          step={10}
          value={Math.min(radiusMeters, SLIDER_MAX_METERS)}
          aria-valuetext={t('editor.radiusValue', { meters: radiusMeters })}
          onChange={(event) => {
            onChange(Number(event.target.value));
          }}
        />
      </div>
      <TextField
        label={t('editor.radius')}
        type="number"
        inputMode="numeric"
        min={MIN_RADIUS_METERS}
        max={MAX_RADIUS_METERS}
        step={1}
        value={text}
        hint={t('editor.radiusHint', { min: MIN_RADIUS_METERS, max: MAX_RADIUS_METERS })}
        error={isOutOfRange ? t('editor.radiusInvalid') : null}
        onChange={(event) => {
          setText(event.target.value);
          const value = Number(event.target.value);
          if (value >= MIN_RADIUS_METERS && value <= MAX_RADIUS_METERS) onChange(value);
        }}
      />
    </div>
  );
}

export interface ZoneEditorProps {
  readonly draft: ZoneDraft;
  readonly onChange: (draft: ZoneDraft) => void;
  readonly isAddingCorners: boolean;
  readonly onAddingCorners: (isAdding: boolean) => void;
  readonly childName: string;
  readonly childFix: ChildFix | null;
  readonly mapCentre: () => LatLon | null;
  readonly onSave: () => Promise<void>;
  readonly onCancel: () => void;
  readonly onDelete: (() => void) | null;
}

/** The form beside (or under) the map for drawing a new zone or changing one. */
export function ZoneEditor(props: ZoneEditorProps) {
  const { draft, onChange, childFix, childName } = props;
  const { t } = useTranslation('zones');
  const errorMessage = useErrorMessage();
  const [isSaving, setIsSaving] = useState(false);
  const [hasTriedSave, setHasTriedSave] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const problems = draftProblems(draft);
  const { shape } = draft;
  const crossing = shape.kind === 'polygon' ? selfIntersection(shape.vertices) : null;
  const title =
    draft.zoneId !== null
      ? t('editor.editTitle', { name: draft.name.trim() || t('editor.unnamed') })
      : shape.kind === 'circle'
        ? t('editor.newCircleTitle')
        : t('editor.newPolygonTitle');

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setHasTriedSave(true);
    setSaveError(null);
    if (problems.length > 0) return;
    setIsSaving(true);
    try {
      await props.onSave();
    } catch (error) {
      setSaveError(error);
    } finally {
      setIsSaving(false);
    }
  };

  const nameError =
    hasTriedSave && problems.includes('nameMissing')
      ? t('editor.nameMissing')
      : problems.includes('nameTooLong')
        ? t('editor.nameTooLong', { max: MAX_ZONE_NAME_LENGTH })
        : null;
  const shapeProblem = shapeProblems(shape)[0];
  const showShapeProblem =
    shapeProblem !== undefined &&
    (hasTriedSave || shapeProblem === 'selfIntersecting' || shapeProblem === 'tooSmall');

  return (
    <form className="zones__editor" onSubmit={(event) => void submit(event)} noValidate>
      <h2 id="zones-editor-title" tabIndex={-1}>
        {title}
      </h2>
      <TextField
        label={t('editor.name')}
        required
        maxLength={MAX_ZONE_NAME_LENGTH}
        autoComplete="off"
        placeholder={t('editor.namePlaceholder')}
        value={draft.name}
        error={nameError}
        onChange={(event) => {
          onChange({ ...draft, name: event.target.value });
        }}
      />
      {shape.kind === 'circle' ? (
        <section className="zones__section" aria-label={t('editor.circleSection')}>
          <p className="small">{t('editor.circleHelp')}</p>
          <div className="btn-row">
            <Button
              size="small"
              disabled={childFix === null}
              onClick={() => {
                if (childFix) onChange(withCentre(draft, childFix));
              }}
            >
              <span aria-hidden="true">📍</span> {t('editor.atChild', { child: childName })}
            </Button>
            <Button
              size="small"
              onClick={() => {
                const centre = props.mapCentre();
                if (centre) onChange(withCentre(draft, centre));
              }}
            >
              <span aria-hidden="true">◎</span> {t('editor.atMapCentre')}
            </Button>
          </div>
          {childFix === null ? (
            <p className="muted small">{t('editor.noChildFix', { child: childName })}</p>
          ) : childFix.isStale ? (
            <p className="small zones__stale">
              <span aria-hidden="true">⚠ </span>
              {t('editor.childFixStale', { child: childName })}{' '}
              <RelativeTime at={childFix.recordedAt} />
            </p>
          ) : null}
          <CoordinateFields
            centre={shape.centre}
            onChange={(centre) => {
              onChange(withCentre(draft, centre));
            }}
          />
          <RadiusFields
            radiusMeters={shape.radiusMeters}
            onChange={(radiusMeters) => {
              onChange(withRadius(draft, radiusMeters));
            }}
          />
        </section>
      ) : (
        <section className="zones__section" aria-label={t('editor.polygonSection')}>
          <p className="small">
            {props.isAddingCorners ? t('editor.polygonHelpAdding') : t('editor.polygonHelpDone')}
          </p>
          <p className="small" aria-live="polite">
            <strong>{t('editor.cornerCount', { count: shape.vertices.length })}</strong>{' '}
            <span className="muted">
              {t('editor.cornerLimits', { min: MIN_POLYGON_VERTICES, max: MAX_POLYGON_VERTICES })}
            </span>
          </p>
          <div className="btn-row">
            <Button
              size="small"
              disabled={shape.vertices.length >= MAX_POLYGON_VERTICES}
              onClick={() => {
                const centre = props.mapCentre();
                if (centre) onChange(withVertexAdded(draft, centre));
                props.onAddingCorners(true);
              }}
            >
              <span aria-hidden="true">◎</span> {t('editor.addCornerAtCentre')}
            </Button>
            <Button
              size="small"
              disabled={shape.vertices.length === 0}
              onClick={() => {
                onChange(withLastVertexRemoved(draft));
              }}
            >
              <span aria-hidden="true">↶</span> {t('editor.undoCorner')}
            </Button>
            {props.isAddingCorners ? (
              <Button
                size="small"
                disabled={shape.vertices.length < MIN_POLYGON_VERTICES}
                onClick={() => {
                  props.onAddingCorners(false);
                }}
              >
                <span aria-hidden="true">✓</span> {t('editor.finishShape')}
              </Button>
            ) : (
              <Button
                size="small"
                onClick={() => {
                  props.onAddingCorners(true);
                }}
              >
                <span aria-hidden="true">＋</span> {t('editor.addMoreCorners')}
              </Button>
            )}
          </div>
        </section>
      )}
      {showShapeProblem ? (
        <Banner tone="warn">
          <span aria-hidden="true">⚠ </span>
          {shapeProblem === 'selfIntersecting' && crossing !== null
            ? t('editor.problems.selfIntersecting', { a: crossing[0] + 1, b: crossing[1] + 1 })
            : t(`editor.problems.${shapeProblem}`, {
                min: MIN_POLYGON_VERTICES,
                max: MAX_POLYGON_VERTICES,
              })}
        </Banner>
      ) : null}
      <ExpectationRows
        expectations={draft.expectations}
        childName={childName}
        onChange={(expectations) => {
          onChange({ ...draft, expectations });
        }}
      />
      {hasTriedSave && problems.includes('expectations') ? (
        <Banner tone="warn">{t('editor.problems.expectations')}</Banner>
      ) : null}
      {saveError !== null ? (
        <Banner tone="error">
          <div>{errorMessage(saveError)}</div>
          {saveError instanceof ApiError &&
          (saveError.code === 'invalidZone' || saveError.code === 'invalidRequest') ? (
            <div className="small">{t('editor.serverSaid', { message: saveError.message })}</div>
          ) : null}
        </Banner>
      ) : null}
      <div className="btn-row zones__actions">
        <Button type="submit" variant="primary" busy={isSaving}>
          {t('editor.save')}
        </Button>
        <Button onClick={props.onCancel} disabled={isSaving}>
          {t('common:action.cancel')}
        </Button>
      </div>
      {props.onDelete ? (
        <div className="zones__danger">
          <Button variant="danger" size="small" onClick={props.onDelete} disabled={isSaving}>
            {t('editor.delete')}
          </Button>
        </div>
      ) : null}
    </form>
  );
}
