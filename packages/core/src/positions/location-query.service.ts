import type { AccountId } from '../accounts/account.model.ts';
import type { ActivityAccount, ActivityLog } from '../activity/activity-log.service.ts';
import type { CommandService } from '../commands/command.service.ts';
import { DomainError } from '../errors/domain-error.ts';
import type { GuardedWatch } from '../families/family.model.ts';
import type { FamilyService } from '../families/family.service.ts';
import type { Clock } from '../observability/clock.ports.ts';
import type { RateCounterStore } from '../sms/sms.ports.ts';
import type { WatchId } from '../watches/watch.model.ts';
import { displayTime } from './plausibility.ts';
import type { PositionJsonBuffer } from './position-json.ts';
import type { PositionJsonReader } from './position-json.ports.ts';
import type { Position } from './position.model.ts';
import type { PositionKey, PositionRepository } from './position.ports.ts';
import { simplifyTrack } from './track-simplifier.ts';

export interface LocationQueryDependencies {
  readonly positions: Pick<PositionRepository, 'latestFix' | 'listRange'> & PositionJsonReader;
  /** Authorizes: every guardian of the watch, another family `watchNotFound`. */
  readonly family: Pick<FamilyService, 'watchFor'>;
  readonly commands: Pick<CommandService, 'send'>;
  readonly activity: Pick<ActivityLog, 'record'>;
  readonly counters: RateCounterStore;
  readonly clock: Clock;
}

export interface LocationQueryOptions {
  /** A latest position older than this is stale (shown with its age, never as current). */
  readonly staleAfterSeconds: number;
}

export const DEFAULT_STALE_AFTER_SECONDS = 15 * 60;
/** Longest time range of one history, track or export request. */
export const MAX_RANGE_DAYS = 31;
/** A history page holds at most this many positions: a day of fixes a minute apart fits in one. */
export const MAX_HISTORY_PAGE = 2000;
/** A track or an export reads at most this many positions (a fix every 30 s for 31 days). */
export const MAX_RANGE_POSITIONS = 90_000;
/** Locate-now: one per watch in this many seconds, whoever asks. */
export const LOCATE_WINDOW_SECONDS = 10;

const DAY_MS = 86_400_000;

export interface TimeRange {
  readonly from: Date;
  readonly to: Date;
}

export interface LatestLocation {
  readonly position: Position;
  readonly isStale: boolean;
}

export interface HistoryPage {
  /** How many positions were written. */
  readonly count: number;
  /** Opaque; pass back as `cursor` for the next page. Null when this page is the last. */
  readonly nextCursor: string | null;
}

export interface Track {
  /** Located, live or buffered, not flagged as an impossible jump; simplified. */
  readonly points: Position[];
  /** Located positions before simplification. */
  readonly sourcePoints: number;
}

/**
 * Where a child's watch is and was: the latest fix and whether it is stale, locate-now, and
 * the history by time range (pages, a simplified track, an export). Every locate, history view
 * and export is recorded in the watch's activity log before anything is returned.
 */
export class LocationQueryService {
  readonly #deps: LocationQueryDependencies;
  readonly #staleAfterMs: number;

  constructor(deps: LocationQueryDependencies, options: Partial<LocationQueryOptions> = {}) {
    this.#deps = deps;
    this.#staleAfterMs = (options.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS) * 1000;
  }

  get staleAfterSeconds(): number {
    return this.#staleAfterMs / 1000;
  }

  /** The newest live fix; `noPosition` when the watch has never been placed. */
  async latest(accountId: AccountId, watchId: WatchId): Promise<LatestLocation> {
    await this.#deps.family.watchFor(accountId, watchId);
    const position = await this.#deps.positions.latestFix(watchId);
    if (position === undefined) {
      throw new DomainError('notFound', 'noPosition', 'The watch has not reported a position yet.');
    }
    const ageMs = this.#deps.clock.now().getTime() - displayTime(position).getTime();
    return { position, isStale: ageMs > this.#staleAfterMs };
  }

  /**
   * Queues `locateNow` for the watch (the fix arrives later, like any report) and returns the
   * command id. One per watch per `LOCATE_WINDOW_SECONDS`, else `tooManyLocates`.
   */
  async locate(actor: ActivityAccount, watchId: WatchId): Promise<number> {
    const { family, counters, clock, activity, commands } = this.#deps;
    await family.watchFor(actor.id, watchId);
    const hits = await counters.hit(`locate:${watchId}`, LOCATE_WINDOW_SECONDS, clock.now());
    if (hits > 1) {
      throw new DomainError(
        'tooManyRequests',
        'tooManyLocates',
        'The watch was just asked for its position. Wait a few seconds.',
        { retryAfterSeconds: LOCATE_WINDOW_SECONDS },
      );
    }
    await activity.record(watchId, actor, 'locateNow');
    const command = await commands.send(watchId, 'locateNow', {});
    return command.id;
  }

  /**
   * One page of positions in the range, oldest first, appended to `into` as the API's JSON
   * (`PositionJsonReader.listRangeJson`): written by the store, which may keep it ready-made,
   * rather than from `Position` objects (a day's page is 1,440 positions;
   * docs/adr/0008-position-json-in-blocks.md).
   */
  async history(
    actor: ActivityAccount,
    watchId: WatchId,
    query: { readonly range: TimeRange; readonly cursor?: string; readonly limit: number },
    into: PositionJsonBuffer,
  ): Promise<HistoryPage> {
    const { range } = query;
    checkRange(range);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const limit = Math.min(Math.max(Math.trunc(query.limit), 1), MAX_HISTORY_PAGE);
    await this.#deps.family.watchFor(actor.id, watchId);
    const page = await this.#deps.positions.listRangeJson(
      watchId,
      range.from,
      range.to,
      after,
      limit,
      into,
    );
    await this.#deps.activity.record(watchId, actor, 'historyViewed', {
      view: 'positions',
      ...rangeDetails(range),
    });
    return {
      count: page.count,
      nextCursor: page.next === undefined ? null : encodeCursor(page.next),
    };
  }

  /** The range as a track for playback, within `toleranceMeters` of the recorded one. */
  async track(
    actor: ActivityAccount,
    watchId: WatchId,
    range: TimeRange,
    toleranceMeters: number,
  ): Promise<Track> {
    checkRange(range);
    await this.#deps.family.watchFor(actor.id, watchId);
    const located = (await this.#everyPosition(watchId, range)).filter(
      (p) => p.latitude !== null && p.longitude !== null && !p.flags.includes('impossibleJump'),
    ) as (Position & { latitude: number; longitude: number })[];
    await this.#deps.activity.record(watchId, actor, 'historyViewed', {
      view: 'track',
      ...rangeDetails(range),
    });
    return { points: simplifyTrack(located, toleranceMeters), sourcePoints: located.length };
  }

  /** Every position of the range, oldest first, with the watch (for the document's name). */
  async exportRange(
    actor: ActivityAccount,
    watchId: WatchId,
    range: TimeRange,
    format: string,
  ): Promise<{ readonly watch: GuardedWatch; readonly positions: Position[] }> {
    checkRange(range);
    const watch = await this.#deps.family.watchFor(actor.id, watchId);
    const positions = await this.#everyPosition(watchId, range);
    await this.#deps.activity.record(watchId, actor, 'historyExported', {
      format,
      positions: positions.length,
      ...rangeDetails(range),
    });
    return { watch, positions };
  }

  async #everyPosition(watchId: WatchId, range: TimeRange): Promise<Position[]> {
    const all: Position[] = [];
    let after: PositionKey | undefined;
    do {
      const page = await this.#deps.positions.listRange(
        watchId,
        range.from,
        range.to,
        after,
        MAX_HISTORY_PAGE,
      );
      all.push(...page.positions);
      if (all.length > MAX_RANGE_POSITIONS) {
        throw new DomainError(
          'tooLarge',
          'tooManyPositions',
          `The range holds more than ${MAX_RANGE_POSITIONS} positions. Choose a shorter one.`,
        );
      }
      after = page.next;
    } while (after !== undefined);
    return all;
  }
}

/**
 * The range the caller asked for: `to` defaults to now and `from` to a day before `to`.
 * Refuses (as `invalidRange`) a range that ends before it starts.
 */
export function resolveRange(from: Date | undefined, to: Date | undefined, now: Date): TimeRange {
  const end = to ?? (from === undefined ? now : new Date(from.getTime() + DAY_MS));
  const start = from ?? new Date(end.getTime() - DAY_MS);
  const range = { from: start, to: end };
  checkRange(range);
  return range;
}

function checkRange(range: TimeRange): void {
  const spanMs = range.to.getTime() - range.from.getTime();
  if (!(spanMs > 0)) {
    throw new DomainError('invalid', 'invalidRange', '`from` must be before `to`.');
  }
  if (spanMs > MAX_RANGE_DAYS * DAY_MS) {
    throw new DomainError(
      'invalid',
      'rangeTooLarge',
      `A range may span at most ${MAX_RANGE_DAYS} days.`,
    );
  }
}

function rangeDetails(range: TimeRange): { from: string; to: string } {
  return { from: range.from.toISOString(), to: range.to.toISOString() };
}

/** The largest time a Date holds, ms either side of the epoch. */
const MAX_DATE_MS = 8.64e15;
const CURSOR_PATTERN = /^p(-?[0-9a-z]{1,11})_([0-9a-z]{1,11})$/;

/** A cursor: the key of the last position returned. Clients pass it back unread. */
function encodeCursor(key: PositionKey): string {
  return `p${key.recordedAt.getTime().toString(36)}_${key.sequence.toString(36)}`;
}

function decodeCursor(cursor: string): PositionKey {
  const match = CURSOR_PATTERN.exec(cursor);
  const recordedAtMs = parseInt(match?.[1] ?? '', 36);
  const sequence = parseInt(match?.[2] ?? '', 36);
  const isKey =
    Number.isSafeInteger(recordedAtMs) &&
    Math.abs(recordedAtMs) <= MAX_DATE_MS &&
    Number.isSafeInteger(sequence);
  if (!isKey) {
    throw new DomainError('invalid', 'invalidCursor', 'The cursor is not one this server gave.');
  }
  return { recordedAt: new Date(recordedAtMs), sequence };
}
