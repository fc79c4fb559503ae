import type { AccountId } from '../accounts/account.model.ts';
import type { AccountRepository } from '../accounts/account.ports.ts';
import type { GuardianRepository } from '../families/family.ports.ts';
import { watchNotFound } from '../families/family.service.ts';
import type { Clock } from '../observability/clock.ports.ts';
import type { WatchId } from '../watches/watch.model.ts';
import {
  activityDetailsProblem,
  type ActivityDetails,
  type ActivityEntry,
  type ActivityKind,
} from './activity.model.ts';
import type { ActivityRepository } from './activity.ports.ts';

/** The account that acted, as the log keeps it (an `Account` is one). */
export interface ActivityAccount {
  readonly id: AccountId;
  readonly nickname: string | null;
}

/** Who acted: an account id (its nickname is then looked up), or the account itself. */
export type ActivityActor = AccountId | ActivityAccount;

export interface ActivityLogDependencies {
  readonly entries: ActivityRepository;
  /** For the nickname of an actor given by id. */
  readonly accounts: Pick<AccountRepository, 'findById'>;
  /**
   * Who may read a watch's log: the same scoped lookup as `FamilyService.watchFor` (the
   * family service records into this log, so it cannot be a dependency of it).
   */
  readonly guardians: Pick<GuardianRepository, 'watchOf'>;
  readonly clock: Clock;
}

export const MAX_ACTIVITY_PAGE = 200;

export interface ActivityPage {
  readonly entries: ActivityEntry[];
  /** Pass as `before` for the next (older) page; null when this was the last. */
  readonly nextBefore: number | null;
}

/**
 * The activity log of each watch: who located it, sent it a command, changed a setting, viewed
 * or exported its history, or changed its family, and when. Every guardian of the watch reads
 * all of it, so no one acts on a child's watch unseen by the others.
 */
export class ActivityLog {
  readonly #deps: ActivityLogDependencies;

  constructor(deps: ActivityLogDependencies) {
    this.#deps = deps;
  }

  /**
   * Records that `actor` did `kind` on the watch, now. Details are a few flat values (no
   * nesting; at most `MAX_ACTIVITY_DETAILS_CHARS` as JSON), sealed with the watch's data key;
   * RangeError otherwise. Callers record before they return what was asked for, so that a
   * failure to record refuses the action rather than hiding it.
   */
  async record(
    watchId: WatchId,
    actor: ActivityActor,
    kind: ActivityKind,
    details: ActivityDetails = {},
  ): Promise<ActivityEntry> {
    const problem = activityDetailsProblem(details);
    if (problem !== undefined) throw new RangeError(`activity ${kind} not recorded: ${problem}`);
    const { id, nickname } = await this.#actor(actor);
    return this.#deps.entries.append({
      watchId,
      actorId: id,
      actorNickname: nickname,
      kind,
      details,
      at: this.#deps.clock.now(),
    });
  }

  /**
   * The watch's entries, newest first, with an id below `before` when given; `limit` from 1 to
   * `MAX_ACTIVITY_PAGE`. Another family's watch is `watchNotFound`, like a missing one.
   */
  async list(
    accountId: AccountId,
    watchId: WatchId,
    page: { readonly before?: number | undefined; readonly limit: number },
  ): Promise<ActivityPage> {
    if ((await this.#deps.guardians.watchOf(accountId, watchId)) === undefined) {
      throw watchNotFound();
    }
    const limit = Math.min(Math.max(Math.trunc(page.limit), 1), MAX_ACTIVITY_PAGE);
    const rows = await this.#deps.entries.list(watchId, page.before, limit + 1);
    const entries = rows.slice(0, limit);
    const last = entries.at(-1);
    return {
      entries,
      nextBefore: rows.length > limit && last !== undefined ? last.id : null,
    };
  }

  async #actor(actor: ActivityActor): Promise<ActivityAccount> {
    if (typeof actor !== 'string') return { id: actor.id, nickname: actor.nickname };
    const account = await this.#deps.accounts.findById(actor);
    return { id: actor, nickname: account?.nickname ?? null };
  }
}
