import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FrameTarget } from '../frame/envelope.ts';
import { encodeCommand } from './command.encoder.ts';
import { CommandError, type Command } from './command.model.ts';
import { validateCommand, validateTarget } from './command.validator.ts';

const WATCH = { vendor: '3G', deviceId: '8800000015' };
const MON_FRI = [false, true, true, true, true, true, false] as const;
const entry = (name: string, phoneNumber = '1111111') => ({ name, phoneNumber });
const period = (start: string, end: string) => ({ start, end });
const digits = (count: number) => '1'.repeat(count);

/** Commands that must be refused, with the field the error must name. */
const INVALID: readonly (readonly [string, Command, string])[] = [
  ['letters in a phone number', { type: 'setCentreNumber', phoneNumber: 'abc' }, 'phoneNumber'],
  ['a two-digit phone number', { type: 'setSosNumber1', phoneNumber: '12' }, 'phoneNumber'],
  ['21 digits', { type: 'setAssistantNumber', phoneNumber: `+${digits(21)}` }, 'phoneNumber'],
  ['spaces in a number', { type: 'setSosNumber2', phoneNumber: '030 1234' }, 'phoneNumber'],
  ['+ not in front', { type: 'setSosNumber3', phoneNumber: '49+301234' }, 'phoneNumber'],
  ['an empty centre number', { type: 'setCentreNumber', phoneNumber: '' }, 'phoneNumber'],
  [
    'a bad SOS slot',
    { type: 'setSosNumbers', phoneNumbers: ['112', 'x', null] },
    'phoneNumbers[1]',
  ],
  [
    'two SOS slots',
    { type: 'setSosNumbers', phoneNumbers: ['112', '110'] as unknown as [string, string, null] },
    'phoneNumbers',
  ],
  ['an empty phonebook page', { type: 'setPhonebook1', entries: [] }, 'entries'],
  [
    'six entries on a page',
    { type: 'setPhonebook2', entries: Array.from({ length: 6 }, () => entry('a')) },
    'entries',
  ],
  [
    'a phonebook name of 11 units',
    { type: 'setPhonebook1', entries: [entry('Grandmother')] },
    'entries[0].name',
  ],
  ['an empty name', { type: 'setPhonebook3', entries: [null, entry('')] }, 'entries[1].name'],
  ['a newline in a name', { type: 'setPhonebook1', entries: [entry('a\nb')] }, 'entries[0].name'],
  [
    'a bad number on a page',
    { type: 'setPhonebook1', entries: [entry('Mum'), entry('Dad', 'none')] },
    'entries[1].phoneNumber',
  ],
  [
    'slot 0 of the long phonebook',
    { type: 'setPhonebookEntry', slot: 0, name: 'Mum', phoneNumber: '123' },
    'slot',
  ],
  ['slot 101', { type: 'deletePhonebookEntry', slot: 101 }, 'slot'],
  ['no allowed callers', { type: 'setAllowedCallers1', phoneNumbers: [] }, 'phoneNumbers'],
  [
    'six allowed callers',
    { type: 'setAllowedCallers2', phoneNumbers: ['111', '222', '333', '444', '555', '666'] },
    'phoneNumbers',
  ],
  ['an interval of 5 s', { type: 'setUploadInterval', intervalSeconds: 5 }, 'intervalSeconds'],
  ['more than a day', { type: 'setUploadInterval', intervalSeconds: 86_401 }, 'intervalSeconds'],
  [
    'a fractional interval',
    { type: 'setUploadInterval', intervalSeconds: 60.5 },
    'intervalSeconds',
  ],
  ['NaN seconds', { type: 'setUploadInterval', intervalSeconds: Number.NaN }, 'intervalSeconds'],
  ['zero minutes', { type: 'setTrackingDuration', minutes: 0 }, 'minutes'],
  [
    'a tracking period ending before it starts',
    { type: 'setTrackingPeriods', periods: [{ startHour: 9, endHour: 6 }] },
    'periods[0]',
  ],
  [
    'hour 25',
    { type: 'setWeekendTrackingPeriods', periods: [{ startHour: 6, endHour: 25 }] },
    'periods[0].endHour',
  ],
  ['24:00', { type: 'setQuietTimes', periods: [period('24:00', '07:30')] }, 'periods[0].start'],
  [
    'an unpadded time',
    { type: 'setQuietTimes', periods: [period('21:10', '7:30')] },
    'periods[0].end',
  ],
  ['an empty period', { type: 'setSleepPeriod', period: period('07:30', '07:30') }, 'period'],
  [
    'five quiet periods',
    { type: 'setQuietTimes', periods: Array.from({ length: 5 }, () => period('08:00', '12:00')) },
    'periods',
  ],
  [
    'four pedometer periods',
    {
      type: 'setPedometerPeriods',
      periods: Array.from({ length: 4 }, () => period('08:00', '09:00')),
    },
    'periods',
  ],
  [
    'a six-day mask',
    {
      type: 'setWeeklyQuietTimes',
      periods: [
        { ...period('08:00', '12:00'), weekdays: MON_FRI.slice(1) as unknown as typeof MON_FRI },
      ],
    },
    'periods[0].weekdays',
  ],
  [
    'four alarms',
    {
      type: 'setAlarms',
      alarms: Array.from({ length: 4 }, () => ({
        time: '07:00',
        isEnabled: true,
        repeat: 'daily' as const,
      })),
    },
    'alarms',
  ],
  [
    'a weekly alarm without days',
    { type: 'setAlarms', alarms: [{ time: '07:00', isEnabled: true, repeat: 'weekly' } as never] },
    'alarms[0].weekdays',
  ],
  [
    'an alarm repeating hourly',
    { type: 'setAlarms', alarms: [{ time: '07:00', isEnabled: true, repeat: 'hourly' } as never] },
    'alarms[0].repeat',
  ],
  ['empty text', { type: 'showText', text: '' }, 'text'],
  ['101 units of text', { type: 'showText', text: 'x'.repeat(101) }, 'text'],
  ['an unpaired surrogate', { type: 'showText', text: 'a\uD83D' }, 'text'],
  ['an offset of 0.3 h', { type: 'setLanguageAndTimeZone', utcOffsetHours: 0.3 }, 'utcOffsetHours'],
  ['UTC+15', { type: 'setTimeZone', utcOffsetHours: 15 }, 'utcOffsetHours'],
  [
    'language 100',
    { type: 'setLanguageAndTimeZone', language: 100, utcOffsetHours: 1 },
    'language',
  ],
  ['a negative reward', { type: 'setRewards', count: -1 }, 'count'],
  ['100 rewards', { type: 'setRewards', count: 100 }, 'count'],
  ['an unknown profile', { type: 'setRingProfile', profile: 'loud' as never }, 'profile'],
  [
    'heart rate every 299 s',
    { type: 'setHeartRateInterval', measurement: { kind: 'periodic', intervalSeconds: 299 } },
    'measurement.intervalSeconds',
  ],
  ['level 7 of 6', { type: 'setFallSensitivity', level: 7, maxLevel: 6 }, 'level'],
  [
    'temperature every 13 h',
    { type: 'setTemperatureInterval', isEnabled: true, intervalHours: 13 },
    'intervalHours',
  ],
  [
    'six temperature times',
    {
      type: 'setTemperatureSchedule',
      times: Array.from({ length: 6 }, () => ({ time: '08:00', repeat: 'daily' as const })),
    },
    'times',
  ],
  ['a switch given as 1', { type: 'setPedometer', isEnabled: 1 as never }, 'isEnabled'],
  ['empty audio', { type: 'voiceMessage', audio: new Uint8Array(0) }, 'audio'],
  [
    'audio too long for LENGTH once escaped',
    { type: 'voiceMessage2', audio: new Uint8Array(40_000).fill(0x7d) },
    'audio',
  ],
  ['audio as text', { type: 'voiceMessage', audio: 'AMR' as never }, 'audio'],
  [
    'covert listening smuggled in as JSON',
    { type: 'covertListening', phoneNumber: '13600000000' } as never,
    'type',
  ],
];

function assertRefused(run: () => unknown, field: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof CommandError, `expected a CommandError, got ${String(error)}`);
    assert.equal(error.field, field, error.message);
    assert.ok(error.message.startsWith(`${field}: `));
    return true;
  });
}

for (const [name, command, field] of INVALID) {
  test(`refuses ${name}, naming ${field}`, () => {
    assertRefused(() => {
      validateCommand(command);
    }, field);
    assertRefused(() => encodeCommand(WATCH, command), field);
  });
}

const BAD_TARGETS: readonly (readonly [FrameTarget, string])[] = [
  [{ vendor: '3GX', deviceId: '8800000015' }, 'target.vendor'],
  [{ vendor: '3*', deviceId: '8800000015' }, 'target.vendor'],
  [{ vendor: '3G', deviceId: '8800' }, 'target.deviceId'],
  [{ vendor: '3G', deviceId: '88000000*5' }, 'target.deviceId'],
  [{ vendor: '3G', deviceId: '8800000015', index: 'xyz' }, 'target.index'],
];

for (const [target, field] of BAD_TARGETS) {
  test(`refuses the target ${JSON.stringify(target)}, naming ${field}`, () => {
    assertRefused(() => {
      validateTarget(target);
    }, field);
    assertRefused(() => encodeCommand(target, { type: 'locateNow' }), field);
  });
}

test('accepts the edges of every range', () => {
  const edges: Command[] = [
    { type: 'setUploadInterval', intervalSeconds: 10 },
    { type: 'setUploadInterval', intervalSeconds: 86_400 },
    { type: 'setCentreNumber', phoneNumber: `+${digits(20)}` },
    { type: 'setPhonebook1', entries: [entry('好'.repeat(10)), null, null, null, null] },
    { type: 'setSosNumbers', phoneNumbers: [null, null, null] },
    { type: 'showText', text: '👋'.repeat(50) },
    { type: 'setTimeZone', utcOffsetHours: -12 },
    { type: 'setTimeZone', utcOffsetHours: 14 },
    { type: 'setQuietTimes', periods: [period('23:59', '00:00')] },
    { type: 'setTrackingPeriods', periods: [{ startHour: 0, endHour: 24 }] },
    { type: 'setHeartRateInterval', measurement: { kind: 'periodic', intervalSeconds: 65_535 } },
    { type: 'voiceMessage', audio: new Uint8Array(0xffff - 3) },
  ];
  for (const command of edges) validateCommand(command);
});
