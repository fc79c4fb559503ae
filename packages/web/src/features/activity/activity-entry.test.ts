import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ActivityEntry } from '../../api/types.ts';
import { actorOf, describeEntry, detailOf, groupByDay, type Wording } from './activity-entry.ts';

const strings: Record<string, string> = {
  'who.you': 'You',
  'who.former': 'A former guardian',
  'whom.you': 'you',
  'kind.locateNow': '{{who}} located',
  'kind.historyViewedRange': '{{who}} viewed {{range}}',
  'kind.historyListViewedRange': '{{who}} listed {{range}}',
  'kind.historyExportedRange': '{{who}} exported {{range}} as {{format}}',
  'kind.adminChangedNamed': '{{who}} made {{name}} admin',
  'kind.guardianAdded': '{{who}} added someone',
  'kind.commandNamed': '{{who}} sent {{command}}',
  'command.findWatch': 'ring the watch',
  'format.gpx': 'GPX',
  'detail.positions': '{{count}} positions',
};

const t = (key: string, values: Record<string, string | number> = {}) =>
  (strings[key] ?? `?${key}`).replace(/\{\{(\w+)\}\}/g, (_, name: string) =>
    String(values[name] ?? `?${name}`),
  );

const wording: Wording = {
  t,
  has: (key) => key in strings,
  formatRange: (from, to) => `${from.slice(0, 10)}..${to.slice(0, 10)}`,
  myAccountId: 'me',
  people: [
    { accountId: 'dad', nickname: null, phone: '+41 79 000 00 00' },
    { accountId: 'gran', nickname: 'Gran', phone: '+41 79 111 11 11' },
  ],
};

function entry(overrides: Partial<ActivityEntry>): ActivityEntry {
  return {
    id: 1,
    actor: { accountId: 'me', nickname: 'Mum' },
    kind: 'locateNow',
    details: {},
    at: '2026-11-29T10:00:00.000Z',
    ...overrides,
  };
}

test('the caller is "You"; others by the nickname they had, else their number', () => {
  assert.equal(actorOf(entry({}), wording), 'You');
  assert.equal(
    actorOf(entry({ actor: { accountId: 'gran', nickname: 'Granny' } }), wording),
    'Granny',
  );
  assert.equal(
    actorOf(entry({ actor: { accountId: 'dad', nickname: null } }), wording),
    '+41 79 000 00 00',
  );
  assert.equal(
    actorOf(entry({ actor: { accountId: 'gone', nickname: null } }), wording),
    'A former guardian',
  );
});

test('history views and exports name the range and the format', () => {
  const details = {
    view: 'track',
    from: '2026-11-28T23:00:00.000Z',
    to: '2026-11-29T23:00:00.000Z',
  };
  assert.equal(
    describeEntry(entry({ kind: 'historyViewed', details }), wording),
    'You viewed 2026-11-28..2026-11-29',
  );
  assert.equal(
    describeEntry(
      entry({ kind: 'historyViewed', details: { ...details, view: 'positions' } }),
      wording,
    ),
    'You listed 2026-11-28..2026-11-29',
  );
  const exported = entry({
    kind: 'historyExported',
    details: { ...details, format: 'gpx', positions: 12 },
  });
  assert.equal(describeEntry(exported, wording), 'You exported 2026-11-28..2026-11-29 as GPX');
  assert.equal(detailOf(exported, t), '12 positions');
  assert.equal(detailOf(entry({}), t), null);
});

test('people an entry is about are named, "you" when it is the caller', () => {
  const actor = { accountId: 'gran', nickname: 'Gran' };
  assert.equal(
    describeEntry(
      entry({ actor, kind: 'adminChanged', details: { from: 'gran', to: 'me' } }),
      wording,
    ),
    'Gran made you admin',
  );
  assert.equal(
    describeEntry(entry({ kind: 'guardianAdded', details: { accountId: 'unknown' } }), wording),
    'You added someone',
  );
});

test('a command reads by its translated name', () => {
  assert.equal(
    describeEntry(entry({ kind: 'command', details: { type: 'findWatch' } }), wording),
    'You sent ring the watch',
  );
});

test('entries are grouped by the day of the guardian time zone', () => {
  const entries = [
    entry({ id: 3, at: '2026-11-29T23:30:00.000Z' }),
    entry({ id: 2, at: '2026-11-29T12:00:00.000Z' }),
    entry({ id: 1, at: '2026-11-28T12:00:00.000Z' }),
  ];
  assert.deepEqual(
    groupByDay(entries, 'Europe/Zurich').map((group) => [
      group.day,
      group.entries.map((e) => e.id),
    ]),
    [
      ['2026-11-30', [3]],
      ['2026-11-29', [2]],
      ['2026-11-28', [1]],
    ],
  );
  assert.deepEqual(
    groupByDay(entries, 'UTC').map((group) => group.entries.length),
    [2, 1],
  );
});
