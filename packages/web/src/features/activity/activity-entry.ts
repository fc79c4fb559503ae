/**
 * How an activity-log entry reads: who acted, in one sentence what they did, and the day it
 * belongs to. Translation is passed in, so the wording logic is tested without a browser.
 */
import type { ActivityEntry } from '../../api/types.ts';
import { dayKeyOf, type DayKey } from '../history/history-range.ts';

/** The few facts about a guardian the log needs to name them. */
export interface KnownPerson {
  readonly accountId: string;
  readonly nickname: string | null;
  readonly phone: string;
}

export type Translate = (key: string, values?: Record<string, string | number>) => string;

export interface Wording {
  readonly t: Translate;
  /** Whether the namespace has this key (for command and setting names). */
  readonly has: (key: string) => boolean;
  /** "29 Nov, 08:00 – 30 Nov, 08:00" in the guardian's locale. */
  readonly formatRange: (fromIso: string, toIso: string) => string;
  /** The signed-in guardian. */
  readonly myAccountId: string;
  /** The watch's current guardians, to name people by their number when they have no nickname. */
  readonly people: readonly KnownPerson[];
}

export interface DayGroup<E> {
  readonly day: DayKey;
  readonly entries: readonly E[];
}

/** Consecutive entries of the same calendar day (in `timeZone`), order kept. */
export function groupByDay<E extends { readonly at: string }>(
  entries: readonly E[],
  timeZone: string,
): DayGroup<E>[] {
  const groups: { day: DayKey; entries: E[] }[] = [];
  for (const entry of entries) {
    const day = dayKeyOf(Date.parse(entry.at), timeZone);
    const current = groups.at(-1);
    if (current?.day === day) current.entries.push(entry);
    else groups.push({ day, entries: [entry] });
  }
  return groups;
}

/** The name of an account: its nickname, else its phone number, else null when unknown. */
function nameOf(accountId: string, nickname: string | null, wording: Wording): string | null {
  const known = wording.people.find((person) => person.accountId === accountId);
  return nickname ?? known?.nickname ?? known?.phone ?? null;
}

/** Who acted, as the sentence's subject: "You", a nickname, a number, or "A former guardian". */
export function actorOf(entry: ActivityEntry, wording: Wording): string {
  if (entry.actor.accountId === wording.myAccountId) return wording.t('who.you');
  return nameOf(entry.actor.accountId, entry.actor.nickname, wording) ?? wording.t('who.former');
}

/** Whether the entry is the caller's own action. */
export function isMine(entry: ActivityEntry, myAccountId: string): boolean {
  return entry.actor.accountId === myAccountId;
}

/** Someone the entry is about (not the actor), as the sentence's object. */
function personNamed(accountId: unknown, wording: Wording): string | null {
  if (typeof accountId !== 'string') return null;
  if (accountId === wording.myAccountId) return wording.t('whom.you');
  return nameOf(accountId, null, wording);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A translated name for a command or setting when there is one, else the name as sent. */
function named(group: 'command' | 'setting' | 'format', name: string, wording: Wording): string {
  const key = `${group}.${name}`;
  return wording.has(key) ? wording.t(key) : name;
}

function rangeOf(entry: ActivityEntry, wording: Wording): string | null {
  const from = text(entry.details['from']);
  const to = text(entry.details['to']);
  return from !== null && to !== null ? wording.formatRange(from, to) : null;
}

/** One sentence saying what happened, starting with who did it. */
export function describeEntry(entry: ActivityEntry, wording: Wording): string {
  const { t } = wording;
  const who = actorOf(entry, wording);
  const details = entry.details;
  switch (entry.kind) {
    case 'locateNow':
      return t('kind.locateNow', { who });
    case 'command': {
      const command = text(details['command']) ?? text(details['type']);
      return command === null
        ? t('kind.command', { who })
        : t('kind.commandNamed', { who, command: named('command', command, wording) });
    }
    case 'settingChanged': {
      const setting = text(details['setting']) ?? text(details['name']);
      return setting === null
        ? t('kind.settingChanged', { who })
        : t('kind.settingChangedNamed', { who, setting: named('setting', setting, wording) });
    }
    case 'historyViewed': {
      const range = rangeOf(entry, wording);
      const isList = details['view'] === 'positions';
      if (range === null) return t('kind.historyViewed', { who });
      return t(isList ? 'kind.historyListViewedRange' : 'kind.historyViewedRange', { who, range });
    }
    case 'historyExported': {
      const range = rangeOf(entry, wording);
      const format = text(details['format']);
      const formatName = format === null ? t('format.unknown') : named('format', format, wording);
      return range === null
        ? t('kind.historyExported', { who, format: formatName })
        : t('kind.historyExportedRange', { who, format: formatName, range });
    }
    case 'guardianAdded':
    case 'guardianRemoved':
    case 'adminChanged': {
      const target = entry.kind === 'adminChanged' ? details['to'] : details['accountId'];
      const name = personNamed(target, wording);
      return name === null
        ? t(`kind.${entry.kind}`, { who })
        : t(`kind.${entry.kind}Named`, { who, name });
    }
    case 'guardianLeft':
      return t('kind.guardianLeft', { who });
    case 'invitationSent':
      return t(
        details['isByNumber'] === true ? 'kind.invitationSentByNumber' : 'kind.invitationSent',
        {
          who,
        },
      );
    case 'invitationRevoked':
      return t('kind.invitationRevoked', { who });
    case 'childProfileChanged':
      return t(
        details['part'] === 'avatar' ? 'kind.childPhotoChanged' : 'kind.childProfileChanged',
        {
          who,
        },
      );
    case 'photoRequested':
      return t('kind.photoRequested', { who });
  }
}

/** A second line for entries with a count worth knowing (how many positions left in a file). */
export function detailOf(entry: ActivityEntry, t: Translate): string | null {
  const count = entry.details['positions'];
  if (entry.kind === 'historyExported' && typeof count === 'number') {
    return t('detail.positions', { count });
  }
  return null;
}
