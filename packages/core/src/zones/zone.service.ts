import type { AccountId } from '../accounts/account.model.ts';
import { DomainError } from '../errors/domain-error.ts';
import type { Clock } from '../observability/clock.ports.ts';
import type { WatchId } from '../watches/watch.model.ts';
import { windowsEndingBetween, type ExpectationWindow } from './expectation-schedule.ts';
import { statesAfter, ZoneTracker, type ZoneFix, type ZoneTransition } from './zone-evaluator.ts';
import {
  MAX_ZONES_PER_WATCH,
  validZoneDraft,
  type Zone,
  type ZoneDraft,
  type ZoneExpectation,
  type ZoneId,
} from './zone.model.ts';
import type { ZoneEvent, ZoneOnlyPolicy, ZoneRepository } from './zone.ports.ts';

/** How a zone service learns that the caller guards the watch (FamilyService does). */
export interface WatchAccess {
  /** Throws DomainError notFound when the account does not guard the watch. */
  watchFor(accountId: AccountId, watchId: WatchId): Promise<unknown>;
}

export interface ZoneDependencies {
  readonly zones: ZoneRepository;
  readonly access: WatchAccess;
  readonly ids: { id(): string };
  readonly clock: Clock;
  /**
   * How long evaluation trusts its copy of a watch's zones and states. Changes made through
   * this service apply at once; changes made by another process within this time.
   */
  readonly cacheSeconds?: number;
}

/** A transition with the zone's name, for alerts. */
export interface NamedZoneTransition extends ZoneTransition {
  readonly zoneName: string;
}

/** A window of an expectation that ended without the watch being inside the zone. */
export interface MissedExpectation {
  readonly watchId: WatchId;
  readonly zoneId: ZoneId;
  readonly zoneName: string;
  readonly expectation: ZoneExpectation;
  readonly window: ExpectationWindow;
}

/** Watches whose compiled zones are kept in memory at most. */
export const MAX_CACHED_WATCHES = 20_000;
export const MAX_ZONE_EVENTS_PER_PAGE = 1000;
export const MAX_ZONE_EVENT_RANGE_DAYS = 366;

interface CachedWatch {
  readonly zones: ReadonlyMap<ZoneId, Zone>;
  readonly tracker: ZoneTracker;
  readonly loadedAtMs: number;
}

export function zoneNotFound(): DomainError {
  return new DomainError('notFound', 'zoneNotFound', 'There is no such zone on this watch.');
}

/**
 * Safe zones of a watch: any guardian of the watch manages them; another family's watch or
 * zone is not found. Evaluation keeps a compiled copy of each watch's zones (an R-tree over
 * their boxes) so that a position costs microseconds however many zones the watch has.
 */
export class ZoneService implements ZoneOnlyPolicy {
  readonly #deps: ZoneDependencies;
  readonly #cache = new Map<WatchId, CachedWatch>();
  readonly #cacheMs: number;

  constructor(deps: ZoneDependencies) {
    this.#deps = deps;
    this.#cacheMs = (deps.cacheSeconds ?? 60) * 1000;
  }

  async list(accountId: AccountId, watchId: WatchId): Promise<Zone[]> {
    await this.#deps.access.watchFor(accountId, watchId);
    return this.#deps.zones.listZones(watchId);
  }

  async get(accountId: AccountId, watchId: WatchId, zoneId: ZoneId): Promise<Zone> {
    await this.#deps.access.watchFor(accountId, watchId);
    const zone = await this.#deps.zones.findZone(watchId, zoneId);
    if (zone === undefined) throw zoneNotFound();
    return zone;
  }

  /** Throws invalidZone for a bad draft, tooManyZones past `MAX_ZONES_PER_WATCH`. */
  async create(accountId: AccountId, watchId: WatchId, draft: ZoneDraft): Promise<Zone> {
    const { zones, access, ids, clock } = this.#deps;
    await access.watchFor(accountId, watchId);
    const valid = validZoneDraft(draft);
    if ((await zones.countZones(watchId)) >= MAX_ZONES_PER_WATCH) {
      throw new DomainError(
        'conflict',
        'tooManyZones',
        `A watch has at most ${MAX_ZONES_PER_WATCH} zones.`,
      );
    }
    const now = clock.now();
    const zone: Zone = { ...valid, id: ids.id(), watchId, createdAt: now, updatedAt: now };
    await zones.insertZone(zone);
    this.#cache.delete(watchId);
    return zone;
  }

  /** Replaces the zone's name, shape and expectations; its state is kept. */
  async update(
    accountId: AccountId,
    watchId: WatchId,
    zoneId: ZoneId,
    draft: ZoneDraft,
  ): Promise<Zone> {
    const existing = await this.get(accountId, watchId, zoneId);
    const zone: Zone = { ...existing, ...validZoneDraft(draft), updatedAt: this.#deps.clock.now() };
    if (!(await this.#deps.zones.updateZone(zone))) throw zoneNotFound();
    this.#cache.delete(watchId);
    return zone;
  }

  /** Deletes the zone with its arrivals and departures. */
  async remove(accountId: AccountId, watchId: WatchId, zoneId: ZoneId): Promise<void> {
    await this.#deps.access.watchFor(accountId, watchId);
    if (!(await this.#deps.zones.removeZone(watchId, zoneId))) throw zoneNotFound();
    this.#cache.delete(watchId);
  }

  /** Arrivals and departures, newest first; `from` defaults to 7 days before `to` (now). */
  async events(
    accountId: AccountId,
    watchId: WatchId,
    query: { from?: Date; to?: Date; zoneId?: ZoneId; limit?: number },
  ): Promise<ZoneEvent[]> {
    await this.#deps.access.watchFor(accountId, watchId);
    const to = query.to ?? this.#deps.clock.now();
    const from = query.from ?? new Date(to.getTime() - 7 * 86_400_000);
    if (from >= to) {
      throw new DomainError('invalid', 'invalidRange', '`from` must be before `to`.');
    }
    if (to.getTime() - from.getTime() > MAX_ZONE_EVENT_RANGE_DAYS * 86_400_000) {
      throw new DomainError(
        'invalid',
        'invalidRange',
        `A range spans at most ${MAX_ZONE_EVENT_RANGE_DAYS} days.`,
      );
    }
    const limit = Math.min(query.limit ?? 100, MAX_ZONE_EVENTS_PER_PAGE);
    return this.#deps.zones.listEvents(watchId, {
      from,
      to,
      limit,
      ...(query.zoneId === undefined ? {} : { zoneId: query.zoneId }),
    });
  }

  async zoneOnlyFor(accountId: AccountId, watchId: WatchId): Promise<boolean> {
    await this.#deps.access.watchFor(accountId, watchId);
    return this.#deps.zones.isZoneOnly(watchId);
  }

  async setZoneOnly(accountId: AccountId, watchId: WatchId, isZoneOnly: boolean): Promise<boolean> {
    await this.#deps.access.watchFor(accountId, watchId);
    await this.#deps.zones.setZoneOnly(watchId, isZoneOnly, this.#deps.clock.now());
    return isZoneOnly;
  }

  /** For the position pipeline: every watch in zone-only mode. */
  zoneOnlyWatches(): Promise<WatchId[]> {
    return this.#deps.zones.zoneOnlyWatches();
  }

  /** For the position pipeline: no guardian is involved. */
  isZoneOnly(watchId: WatchId): Promise<boolean> {
    return this.#deps.zones.isZoneOnly(watchId);
  }

  /**
   * Evaluates one located fix of the watch against its zones (see ZoneTracker for the rule),
   * stores the new states and the arrivals and departures, and returns them in zone order.
   * Call it in the order the watch's positions are processed.
   */
  async evaluate(watchId: WatchId, fix: ZoneFix): Promise<NamedZoneTransition[]> {
    const watch = await this.#watch(watchId);
    if (watch.tracker.size === 0) return [];
    const transitions = watch.tracker.evaluate(fix);
    if (transitions.length === 0) return [];
    await this.#deps.zones.recordTransitions(watchId, statesAfter(transitions), transitions);
    return transitions.map((t) => ({ ...t, zoneName: watch.zones.get(t.zoneId)?.name ?? '' }));
  }

  /**
   * True when the watch is known, from its cached zones, to have none: `evaluate` would do
   * nothing for it. False when it has zones or its cache entry is missing or stale (then
   * `evaluate` loads them).
   */
  hasNoZones(watchId: WatchId): boolean {
    const cached = this.#cache.get(watchId);
    if (cached === undefined || cached.tracker.size > 0) return false;
    return this.#deps.clock.now().getTime() - cached.loadedAtMs < this.#cacheMs;
  }

  /** Watches that have at least one zone with expectations, for the checker. */
  watchesWithExpectations(): Promise<WatchId[]> {
    return this.#deps.zones.watchIdsWithExpectations();
  }

  /**
   * Windows of the watch's expectations that ended after `from` and at or before `to` with the
   * watch never inside the zone during the window (no arrival or departure in it, and not
   * inside when it began). Windows that began before the zone was last changed are skipped.
   */
  async missedExpectations(watchId: WatchId, from: Date, to: Date): Promise<MissedExpectation[]> {
    const watch = await this.#watch(watchId);
    const missed: MissedExpectation[] = [];
    for (const zone of watch.zones.values()) {
      for (const expectation of zone.expectations) {
        for (const window of windowsEndingBetween(expectation, from, to)) {
          if (window.start < zone.updatedAt) continue;
          if (await this.#wasInside(watchId, zone.id, window)) continue;
          missed.push({ watchId, zoneId: zone.id, zoneName: zone.name, expectation, window });
        }
      }
    }
    return missed;
  }

  async #wasInside(watchId: WatchId, zoneId: ZoneId, window: ExpectationWindow): Promise<boolean> {
    const { zones } = this.#deps;
    const during = await zones.listEvents(watchId, {
      from: window.start,
      to: new Date(window.end.getTime() + 1),
      zoneId,
      limit: 1,
    });
    if (during.length > 0) return true;
    return (await zones.lastEventBefore(watchId, zoneId, window.start))?.kind === 'enter';
  }

  async #watch(watchId: WatchId): Promise<CachedWatch> {
    const nowMs = this.#deps.clock.now().getTime();
    const cached = this.#cache.get(watchId);
    if (cached !== undefined && nowMs - cached.loadedAtMs < this.#cacheMs) return cached;
    const [zones, states] = await Promise.all([
      this.#deps.zones.listZones(watchId),
      this.#deps.zones.listStates(watchId),
    ]);
    const loaded: CachedWatch = {
      zones: new Map(zones.map((zone) => [zone.id, zone])),
      tracker: new ZoneTracker(zones, states),
      loadedAtMs: nowMs,
    };
    this.#cache.delete(watchId);
    this.#cache.set(watchId, loaded);
    // Insertion order is load order: the first entry is the stalest.
    const stalest = this.#cache.keys().next();
    if (this.#cache.size > MAX_CACHED_WATCHES && stalest.done !== true) {
      this.#cache.delete(stalest.value);
    }
    return loaded;
  }
}
