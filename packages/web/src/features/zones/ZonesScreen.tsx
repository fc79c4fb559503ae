import type L from 'leaflet';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { Zone, ZoneEvent } from '../../api/types.ts';
import { useStreamMessages } from '../../app/stream.tsx';
import { useResource } from '../../app/use-resource.ts';
import { useWatches, watchName } from '../../app/watches.tsx';
import { MapView } from '../../map/MapView.tsx';
import { initialOf } from '../../map/position-display.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { RelativeTime, useNow } from '../../ui/RelativeTime.tsx';
import { Banner, useErrorMessage } from '../../ui/states.tsx';
import { useChildPosition, type ChildFix } from './use-child-position.ts';
import { ZoneEditor } from './ZoneEditor.tsx';
import { ZoneEvents, ZoneList } from './ZoneList.tsx';
import {
  centreOfMap,
  ChildMarker,
  DraftLayers,
  FitView,
  MapCapture,
  MapTaps,
  PanTo,
  SavedZones,
} from './ZoneMapLayers.tsx';
import { ZoneOnlySetting } from './ZoneOnlySetting.tsx';
import {
  draftFromZone,
  newCircleDraft,
  newPolygonDraft,
  requestBody,
  withCentre,
  withRadius,
  withVertexAdded,
  withVertexMoved,
  type ZoneDraft,
} from './zone-draft.ts';
import { centreOf, offsetPoint, selfIntersection } from './zone-geometry.ts';
import './zones.css';

const ZONE_KINDS = new Set(['zoneEnter', 'zoneLeave']);

function ChildFixLine({
  fix,
  childName,
}: {
  readonly fix: ChildFix | null;
  readonly childName: string;
}) {
  const { t } = useTranslation('zones');
  if (fix === null) {
    return <p className="muted small">{t('child.noFix', { child: childName })}</p>;
  }
  return (
    <p className="small zones__child-line" data-testid="zones-child-fix">
      <span>{t('child.where', { child: childName })}</span>{' '}
      <Badge tone={fix.isStale ? 'warn' : 'ok'} icon={fix.isStale ? '⚠' : '●'}>
        {fix.isStale ? t('child.stale') : t('child.current')}
      </Badge>{' '}
      <span className="muted">
        {t(`common:source.${fix.source}`)}
        {fix.accuracyMeters === null
          ? ''
          : ` ${t('child.accuracy', { meters: Math.round(fix.accuracyMeters) })}`}
        {' · '}
        <RelativeTime at={fix.recordedAt} />
      </span>
    </p>
  );
}

export default function ZonesScreen({ watchId }: { readonly watchId: string }) {
  const { t } = useTranslation('zones');
  const errorMessage = useErrorMessage();
  const now = useNow(30_000);
  const { find } = useWatches();
  const watch = find(watchId);
  const childName = watch ? watchName(watch) : t('child.fallbackName');
  const child = useChildPosition(watchId, now);

  const zones = useResource<readonly Zone[]>(
    async (signal) =>
      (await api.get('/api/v1/watches/{watchId}/zones', { path: { watchId }, signal })).zones,
    [watchId],
  );
  const events = useResource<readonly ZoneEvent[]>(
    async (signal) =>
      (
        await api.get('/api/v1/watches/{watchId}/zone-events', {
          path: { watchId },
          query: { limit: 20 },
          signal,
        })
      ).events,
    [watchId],
  );
  const reloadEvents = events.reload;
  useStreamMessages((message) => {
    if (
      message.type === 'alert' &&
      message.watchId === watchId &&
      ZONE_KINDS.has(message.alert.kind)
    ) {
      reloadEvents();
    }
  });

  const [map, setMap] = useState<L.Map | null>(null);
  const [draft, setDraft] = useState<ZoneDraft | null>(null);
  const [isAddingCorners, setIsAddingCorners] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [isPanelOpen, setIsPanelOpen] = useState(true);
  const [toDelete, setToDelete] = useState<Zone | null>(null);
  const [isDeleting, setIsDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<unknown>(null);
  const panelRef = useRef<HTMLElement>(null);

  const isEditing = draft !== null;
  const wasEditing = useRef(false);
  // Opening or closing the editor swaps the panel's content: start it at the top, and move
  // focus to the new heading so that keyboard and screen-reader users follow along.
  useEffect(() => {
    if (isEditing === wasEditing.current) return;
    wasEditing.current = isEditing;
    setIsPanelOpen(true);
    const panel = panelRef.current;
    panel?.querySelector('.zones__panel-body')?.scrollTo({ top: 0 });
    const heading = isEditing ? '#zones-editor-title' : '#zones-title';
    panel?.querySelector<HTMLElement>(heading)?.focus({ preventScroll: true });
  }, [isEditing]);

  const mapCentre = useCallback(() => (map ? centreOfMap(map) : null), [map]);

  const start = (next: ZoneDraft) => {
    setNotice(null);
    setDraft(next);
    setIsAddingCorners(next.shape.kind === 'polygon' && next.zoneId === null);
  };

  const edit = (zone: Zone) => {
    start(draftFromZone(zone));
    if (!map) return;
    if (zone.shape.kind === 'circle') {
      const r = zone.shape.radiusMeters;
      const sw = offsetPoint(zone.shape, -r, -r);
      const ne = offsetPoint(zone.shape, r, r);
      map.fitBounds(
        [
          [sw.latitude, sw.longitude],
          [ne.latitude, ne.longitude],
        ],
        { padding: [40, 40], maxZoom: 17 },
      );
    } else {
      map.fitBounds(
        zone.shape.vertices.map((v) => [v.latitude, v.longitude] as [number, number]),
        { padding: [40, 40], maxZoom: 17 },
      );
    }
  };

  const save = async () => {
    if (draft === null) return;
    const body = requestBody(draft);
    const saved =
      draft.zoneId === null
        ? (await api.post('/api/v1/watches/{watchId}/zones', { path: { watchId }, body })).zone
        : (
            await api.put('/api/v1/watches/{watchId}/zones/{zoneId}', {
              path: { watchId, zoneId: draft.zoneId },
              body,
            })
          ).zone;
    zones.setData((list) =>
      list.some((zone) => zone.id === saved.id)
        ? list.map((zone) => (zone.id === saved.id ? saved : zone))
        : [...list, saved],
    );
    setDraft(null);
    setIsAddingCorners(false);
    setNotice(t('notice.saved', { name: saved.name }));
  };

  const confirmDelete = async () => {
    if (toDelete === null) return;
    setIsDeleting(true);
    setDeleteError(null);
    try {
      await api.delete('/api/v1/watches/{watchId}/zones/{zoneId}', {
        path: { watchId, zoneId: toDelete.id },
      });
      zones.setData((list) => list.filter((zone) => zone.id !== toDelete.id));
      reloadEvents();
      setNotice(t('notice.deleted', { name: toDelete.name }));
      setToDelete(null);
      setDraft(null);
    } catch (error) {
      setDeleteError(error);
    } finally {
      setIsDeleting(false);
    }
  };

  const tap =
    draft === null
      ? null
      : draft.shape.kind === 'circle'
        ? (point: { latitude: number; longitude: number }) => {
            setDraft((current) => (current ? withCentre(current, point) : current));
          }
        : isAddingCorners
          ? (point: { latitude: number; longitude: number }) => {
              setDraft((current) => (current ? withVertexAdded(current, point) : current));
            }
          : null;

  const zoneList = zones.data ?? [];
  // The editor explains the crossing in full; the map marks it where the eye is while tapping.
  const crossing =
    draft !== null && draft.shape.kind === 'polygon'
      ? selfIntersection(draft.shape.vertices)
      : null;
  const draftFocus =
    draft === null
      ? null
      : draft.shape.kind === 'circle'
        ? draft.shape.centre
        : centreOf(draft.shape.vertices);

  return (
    <div className={`map-page zones${isPanelOpen ? '' : ' zones--collapsed'}`}>
      <MapView className="zones__map" label={t('mapLabel', { child: childName })}>
        <MapCapture onMap={setMap} />
        <SavedZones
          zones={zoneList}
          hiddenId={draft?.zoneId ?? null}
          onSelect={draft === null ? edit : null}
        />
        <ChildMarker
          fix={child.fix}
          initial={initialOf(childName)}
          label={t('child.marker', { child: childName })}
        />
        <FitView
          zones={zoneList}
          child={child.fix}
          isReady={zones.data !== undefined && !child.isLoading}
        />
        <MapTaps onTap={tap} />
        <PanTo point={draftFocus} />
        {draft === null ? null : (
          <>
            <DraftLayers
              shape={draft.shape}
              titles={{
                centre: t('editor.centreHandle'),
                radius: t('editor.radiusHandle'),
                corner: (n) => t('editor.cornerHandle', { n }),
              }}
              onCentre={(centre) => {
                setDraft((current) => (current ? withCentre(current, centre) : current));
              }}
              onRadius={(radius) => {
                setDraft((current) => (current ? withRadius(current, radius) : current));
              }}
              onVertex={(index, vertex) => {
                setDraft((current) =>
                  current ? withVertexMoved(current, index, vertex) : current,
                );
              }}
            />
            <div className="zones__crosshair" aria-hidden="true" />
            {crossing !== null ? (
              <div className="zones__hint zones__hint--warn">
                <span aria-hidden="true">⚠ </span>
                {t('editor.crossesItself')}
              </div>
            ) : tap === null ? null : (
              <div className="zones__hint" role="status">
                {draft.shape.kind === 'circle'
                  ? t('editor.tapForCentre')
                  : t('editor.tapForCorner')}
              </div>
            )}
          </>
        )}
      </MapView>
      <section
        ref={panelRef}
        className="zones__panel"
        aria-label={t('panelLabel')}
        data-testid="zones-panel"
      >
        <div className="zones__panel-head">
          <Button
            variant="ghost"
            size="small"
            className="zones__grip"
            aria-expanded={isPanelOpen}
            aria-controls="zones-panel-body"
            onClick={() => {
              setIsPanelOpen((open) => !open);
            }}
          >
            <span aria-hidden="true">{isPanelOpen ? '▾' : '▴'}</span>
            {isPanelOpen ? t('panel.less') : t('panel.more')}
          </Button>
        </div>
        <div id="zones-panel-body" className="zones__panel-body">
          {draft === null ? (
            <>
              <div className="page-header">
                <h1 id="zones-title" tabIndex={-1}>
                  {t('title')}
                </h1>
              </div>
              <div className="btn-row zones__new">
                <Button
                  variant="primary"
                  icon={<span aria-hidden="true">◯</span>}
                  onClick={() => {
                    start(newCircleDraft());
                  }}
                >
                  {t('actions.newCircle')}
                </Button>
                <Button
                  icon={<span aria-hidden="true">⬠</span>}
                  onClick={() => {
                    start(newPolygonDraft());
                  }}
                >
                  {t('actions.newPolygon')}
                </Button>
              </div>
              {notice === null ? null : <Banner tone="ok">{notice}</Banner>}
              <ChildFixLine fix={child.fix} childName={childName} />
              {child.error === null ? null : (
                <Banner
                  tone="error"
                  action={
                    <Button size="small" onClick={child.reload}>
                      {t('common:action.retry')}
                    </Button>
                  }
                >
                  {errorMessage(child.error)}
                </Banner>
              )}
              <ZoneList
                zones={zones}
                onEdit={edit}
                onNewCircle={() => {
                  start(newCircleDraft());
                }}
              />
              <ZoneEvents events={events} zones={zoneList} childName={childName} />
              <ZoneOnlySetting watchId={watchId} childName={childName} />
            </>
          ) : (
            <ZoneEditor
              key={draft.zoneId ?? `new-${draft.shape.kind}`}
              draft={draft}
              onChange={setDraft}
              isAddingCorners={isAddingCorners}
              onAddingCorners={setIsAddingCorners}
              childName={childName}
              childFix={child.fix}
              mapCentre={mapCentre}
              onSave={save}
              onCancel={() => {
                setDraft(null);
                setIsAddingCorners(false);
              }}
              onDelete={
                draft.zoneId === null
                  ? null
                  : () => {
                      setDeleteError(null);
                      setToDelete(zoneList.find((zone) => zone.id === draft.zoneId) ?? null);
                    }
              }
            />
          )}
        </div>
      </section>
      <Dialog
        isOpen={toDelete !== null}
        onClose={() => {
          if (!isDeleting) setToDelete(null);
        }}
        title={t('delete.title', { name: toDelete?.name ?? '' })}
      >
        <p>{t('delete.body', { child: childName })}</p>
        {deleteError === null ? null : <Banner tone="error">{errorMessage(deleteError)}</Banner>}
        <div className="btn-row">
          <Button variant="danger" busy={isDeleting} onClick={() => void confirmDelete()}>
            {t('delete.confirm')}
          </Button>
          <Button
            disabled={isDeleting}
            onClick={() => {
              setToDelete(null);
            }}
          >
            {t('common:action.cancel')}
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
