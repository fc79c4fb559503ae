import type { WatchId } from '../watches/watch.model.ts';
import type { ZoneState, ZoneTransition, ZoneTransitionKind } from './zone-evaluator.ts';
import type { Zone, ZoneId } from './zone.model.ts';

/** An arrival or departure as stored: kept in zone-only mode, where no trail is. */
export interface ZoneEvent {
  readonly id: number;
  readonly watchId: WatchId;
  readonly zoneId: ZoneId;
  readonly kind: ZoneTransitionKind;
  readonly at: Date;
  readonly isBuffered: boolean;
}

export interface ZoneEventQuery {
  /** Inclusive. */
  readonly from: Date;
  /** Exclusive. */
  readonly to: Date;
  readonly zoneId?: ZoneId;
  readonly limit: number;
}

/**
 * Zones of a watch (name, shape and expectations sealed with the watch's data key: they reveal
 * where the child lives and studies), their states, arrivals and departures, and the watch's
 * zone-only setting. Callers have checked that the watch is the guardian's; every read and
 * write names the watch, so a zone id of another watch is not found.
 */
export interface ZoneRepository {
  /** Oldest first. */
  listZones(watchId: WatchId): Promise<Zone[]>;
  findZone(watchId: WatchId, zoneId: ZoneId): Promise<Zone | undefined>;
  countZones(watchId: WatchId): Promise<number>;
  insertZone(zone: Zone): Promise<void>;
  /** False when the watch has no such zone. */
  updateZone(zone: Zone): Promise<boolean>;
  /** Removes the zone with its state and events; false when the watch has no such zone. */
  removeZone(watchId: WatchId, zoneId: ZoneId): Promise<boolean>;

  /** Watches with at least one zone that has expectations. */
  watchIdsWithExpectations(): Promise<WatchId[]>;

  listStates(watchId: WatchId): Promise<ZoneState[]>;
  /** Stores the states and appends the transitions, in one transaction. */
  recordTransitions(
    watchId: WatchId,
    states: readonly ZoneState[],
    transitions: readonly ZoneTransition[],
  ): Promise<void>;
  /** Newest first. */
  listEvents(watchId: WatchId, query: ZoneEventQuery): Promise<ZoneEvent[]>;
  /** The zone's newest event strictly before `before`. */
  lastEventBefore(watchId: WatchId, zoneId: ZoneId, before: Date): Promise<ZoneEvent | undefined>;

  isZoneOnly(watchId: WatchId): Promise<boolean>;
  setZoneOnly(watchId: WatchId, isZoneOnly: boolean, at: Date): Promise<void>;
  /** Every watch in zone-only mode. */
  zoneOnlyWatches(): Promise<WatchId[]>;
}

/**
 * Whether the watch is in zone-only mode: store arrivals and departures but no trail. The
 * position pipeline asks before storing a position.
 */
export interface ZoneOnlyPolicy {
  isZoneOnly(watchId: WatchId): Promise<boolean>;
}
