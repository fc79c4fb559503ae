import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { openEnvelope } from '../frame/envelope.ts';
import { scanHeader } from '../frame/header.ts';
import { commandKeyword } from '../keywords.ts';
import { COMMAND_NAMES, commandArb, targetArb } from '../testing/command-arbitraries.ts';
import { decodeCommand } from './command.decoder.ts';
import { encodeCommand, type EncodeOptions } from './command.encoder.ts';
import type { Command } from './command.model.ts';
import type { FrameTarget } from '../frame/envelope.ts';
import { loadVectors, vectorName, type Vector } from '../testing/vectors.ts';

const MON_FRI = [false, true, true, true, true, true, false] as const;
const QUIET = { start: '21:10', end: '07:30' };
const HAO_123 = '好123';
const hexBytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));

/** The command each `down` row of vectors.tsv carries, keyed by the frame column. */
const EXPECTED: Readonly<Record<string, { command: Command; options?: EncodeOptions }>> = {
  '[CS*123456789012345*0005*RESET]': { command: { type: 'restart' } },
  '[CS*123456789012345*000e*SOS1,123456789]': {
    command: { type: 'setSosNumber1', phoneNumber: '123456789' },
  },
  '[CS*123456789012345*0018*MESSAGE,0074006500780074]': {
    command: { type: 'showText', text: 'text' },
  },
  '[CS*123456789012345*001a*WORK,6-9,11-13,13-15,17-19]': {
    command: {
      type: 'setTrackingPeriods',
      periods: [
        { startHour: 6, endHour: 9 },
        { startHour: 11, endHour: 13 },
        { startHour: 13, endHour: 15 },
        { startHour: 17, endHour: 19 },
      ],
    },
  },
  '[CS*123456789012345*0006*LZ,,+1]': {
    command: { type: 'setLanguageAndTimeZone', utcOffsetHours: 1 },
  },
  '[CS*123456789012345*0008*LZ,,+1.5]': {
    command: { type: 'setLanguageAndTimeZone', utcOffsetHours: 1.5 },
  },
  '[CS*123456789012345*0009*LZ,,-11.5]': {
    command: { type: 'setLanguageAndTimeZone', utcOffsetHours: -11.5 },
  },
  '[CS*123456789012345*000a*LZ,0,+5.75]': {
    command: { type: 'setLanguageAndTimeZone', language: 0, utcOffsetHours: 5.75 },
  },
  '[3G*8800000015*0007*LZ,0,+1]': {
    command: { type: 'setLanguageAndTimeZone', language: 0, utcOffsetHours: 1 },
  },
  '[3G*8800000015*000A*LZ,5,+11.5]': {
    command: { type: 'setLanguageAndTimeZone', language: 5, utcOffsetHours: 11.5 },
  },
  'hex:5b43532a3132333435363738393031323334352a303030622a544b2c2321414d520a25735d': {
    command: { type: 'voiceMessage', audio: hexBytes('2321414d520a2573') },
  },
  'hex:5b43532a3132333435363738393031323334352a303030642a544b2c7d017d027d037d047d055d': {
    command: { type: 'voiceMessage', audio: hexBytes('7d5b5d2c2a') },
  },
  'hex:5b43532a3132333435363738393031323334352a303030342a544b2cff5d': {
    command: { type: 'voiceMessage', audio: Uint8Array.of(0xff) },
  },
  '[3G*8800000015*000A*UPLOAD,600]': {
    command: { type: 'setUploadInterval', intervalSeconds: 600 },
  },
  '[3G*8800000015*000b*UPLOAD,3600]': {
    command: { type: 'setUploadInterval', intervalSeconds: 3600 },
  },
  '[3G*8800000015*0027*SOS,00000000000,00000000000,00000000000]': {
    command: {
      type: 'setSosNumbers',
      phoneNumbers: ['00000000000', '00000000000', '00000000000'],
    },
  },
  '[3G*8800000015*0012*CENTER,00000000000]': {
    command: { type: 'setCentreNumber', phoneNumber: '00000000000' },
  },
  '[3G*8800000015*0011*SLAVE,13800000000]': {
    command: { type: 'setAssistantNumber', phoneNumber: '13800000000' },
  },
  '[SG*8800000015*0006*LANG,1]': { command: { type: 'setLanguage', language: 1 } },
  '[SG*8800000015*0006*ZONE,8]': { command: { type: 'setTimeZone', utcOffsetHours: 8 } },
  '[3G*8800000015*0008*SOSSMS,0]': { command: { type: 'setSosSms', isEnabled: false } },
  '[3G*8800000015*0008*LOWBAT,1]': { command: { type: 'setLowBatteryAlarm', isEnabled: true } },
  '[SG*5678901234*0008*REMOVE,1]': { command: { type: 'setRemovalAlarm', isEnabled: true } },
  '[3G*5678901234*000B*REMOVESMS,1]': { command: { type: 'setRemovalSms', isEnabled: true } },
  '[3G*8800000015*0005*VERNO]': { command: { type: 'queryFirmware' } },
  '[3G*8800000015*0002*CR]': { command: { type: 'locateNow' } },
  '[3G*5678901234*0008*POWEROFF]': { command: { type: 'powerOff' } },
  '[3G*5678901234*0005*RESET]': { command: { type: 'restart' } },
  '[3G*8800000015*0007*FACTORY]': { command: { type: 'factoryReset' } },
  '[3G*5678901234*0004*FIND]': { command: { type: 'findWatch' } },
  '[3G*5678901234*0037*SILENCETIME,21:10-7:30,21:10-7:30,21:10-7:30,21:10-7:30]': {
    command: { type: 'setQuietTimes', periods: [QUIET, QUIET, QUIET, QUIET] },
  },
  '[3G*5678901234*0058*SILENCETIME2,21:10-7:30-0111110,21:10-7:30-0111110,21:10-7:30-0111110,21:10-7:30-0111110]':
    {
      command: {
        type: 'setWeeklyQuietTimes',
        periods: Array.from({ length: 4 }, () => ({ ...QUIET, weekdays: MON_FRI })),
      },
    },
  '[3G*5678901234*002A*WALKTIME,8:10-9:30,10:10-11:30,12:10-13:30]': {
    command: {
      type: 'setPedometerPeriods',
      periods: [
        { start: '08:10', end: '09:30' },
        { start: '10:10', end: '11:30' },
        { start: '12:10', end: '13:30' },
      ],
    },
  },
  '[3G*5678901234*0014*SLEEPTIME,21:10-7:30]': {
    command: { type: 'setSleepPeriod', period: QUIET },
  },
  '[3G*5678901234*002C*REMIND,08:10-1-1,08:10-1-2,08:10-1-3-0111110]': {
    command: {
      type: 'setAlarms',
      alarms: [
        { time: '08:10', isEnabled: true, repeat: 'once' },
        { time: '08:10', isEnabled: true, repeat: 'daily' },
        { time: '08:10', isEnabled: true, repeat: 'weekly', weekdays: MON_FRI },
      ],
    },
  },
  // The V3.2 document prints the number as 313131 (perhaps "111" hex-encoded by mistake, see
  // reference §2.9). Numbers travel as plain digits, so this is the phone number "313131".
  '[3G*5678901234*001B*PHB,313131,597D003100320033]': {
    command: { type: 'setPhonebook1', entries: [{ name: HAO_123, phoneNumber: '313131' }] },
  },
  '[3G*8800000015*0053*PHB,1111111,0066007200690065006e00640031,2222222,0066007200690065006e00640032,,,,,,]':
    {
      command: {
        type: 'setPhonebook1',
        entries: [
          { name: 'friend1', phoneNumber: '1111111' },
          { name: 'friend2', phoneNumber: '2222222' },
          null,
          null,
          null,
        ],
      },
      // The SeTracker cloud writes the hex in lower case.
      options: { hexCase: 'lower' },
    },
  '[3G*8800000015*001C*PHB2,313131,597D003100320033]': {
    command: { type: 'setPhonebook2', entries: [{ name: HAO_123, phoneNumber: '313131' }] },
  },
  '[3G*5678901234*0018*MESSAGE,597D003100320033]': {
    command: { type: 'showText', text: HAO_123 },
  },
  '[3G*8800000015*0008*FLOWER,5]': { command: { type: 'setRewards', count: 5 } },
  '[3G*8308406279*0008*rcapture]': { command: { type: 'takePhoto' } },
  '[3G*8800000015*0009*profile,4]': { command: { type: 'setRingProfile', profile: 'silent' } },
  '[3G*8800000015*000C*hrtstart,300]': {
    command: {
      type: 'setHeartRateInterval',
      measurement: { kind: 'periodic', intervalSeconds: 300 },
    },
  },
  '[3G*8800000015*0009*bodytemp2]': { command: { type: 'measureTemperature' } },
  '[3G*8800000015*000C*FALLDOWN,1,1]': {
    command: { type: 'setFallAlarm', isEnabled: true, shouldCallCentre: true },
  },
  '[3G*8800000015*0009*LSSET,3+6]': {
    command: { type: 'setFallSensitivity', level: 3, maxLevel: 6 },
  },
  '[3G*8800000015*0006*PEDO,1]': { command: { type: 'setPedometer', isEnabled: true } },
  '[3G*8800000015*000D*WORKTIME,1440]': {
    command: { type: 'setTrackingDuration', minutes: 1440 },
  },
  '[3G*8800000015*0003*PPR]': { command: { type: 'removeFriends' } },
};

/**
 * Byte-exact comparison, except that LENGTH is compared without regard to case: the encoder
 * writes upper case (as the V3.2 document does), while Traccar's tests and the SeTracker cloud
 * write lower case (`000e`, `000b`). Both are the same number and watches accept both.
 */
function assertSameFrame(actual: Buffer, expected: Buffer): void {
  const show = (b: Buffer): string => b.toString('latin1');
  assert.equal(actual.length, expected.length, `${show(actual)} vs ${show(expected)}`);
  const scan = scanHeader(expected, 0, expected.length - 1, true);
  if (scan.status !== 'ok') assert.fail(`expected header in ${show(expected)}`);
  const { lengthStart } = scan.header;
  const lengthEnd = lengthStart + 4;
  const outside = (b: Buffer): Buffer =>
    Buffer.concat([b.subarray(0, lengthStart), b.subarray(lengthEnd)]);
  assert.deepEqual(outside(actual), outside(expected), `${show(actual)} vs ${show(expected)}`);
  const length = (b: Buffer): string => show(b.subarray(lengthStart, lengthEnd)).toLowerCase();
  assert.equal(length(actual), length(expected));
}

// The tests read the copy in packages/protocol/test-data/ so that they run from any clone; the
// original is the shared protocol folder of the Kinwatch workspace.
const VECTORS_URL = new URL('../../test-data/vectors.tsv', import.meta.url);
const SHARED_VECTORS_URL = new URL('../../../../../shared/protocol/vectors.tsv', import.meta.url);

function rowTarget(row: Vector): FrameTarget {
  const vendor = row.expect.get('vendor') ?? '';
  const deviceId = row.expect.get('id') ?? '';
  const index = row.expect.get('index');
  return index === undefined ? { vendor, deviceId } : { vendor, deviceId, index };
}

const rows = loadVectors();
const REPLY_KEYWORDS = new Set(['TKQ', 'LK', 'AL', 'INIT']);

for (const row of rows.filter((r) => r.direction === 'down')) {
  const name = `vectors.tsv ${vectorName(row)}`;
  if (row.kind === 'MONITOR') {
    test(`${name} is refused, never encoded`, () => {
      const decoded = decodeCommand(row.bytes);
      if (decoded.ok) assert.fail('MONITOR was decoded as a command');
      assert.match(decoded.reason, /covert listening/);
    });
  } else if (row.expect.get('role') === 'reply') {
    // Replies to uplink frames (LK, AL, TKQ, INIT) are produced by the uplink module.
    test(`${name} is a reply, not a command`, () => {
      assert.ok(REPLY_KEYWORDS.has(row.kind));
      assert.equal(decodeCommand(row.bytes).ok, false);
    });
  } else {
    test(name, () => {
      const expected = EXPECTED[row.text];
      assert.ok(expected, 'no command listed for this row in EXPECTED');
      const target = rowTarget(row);
      assertSameFrame(encodeCommand(target, expected.command, expected.options), row.bytes);
      assert.deepEqual(decodeCommand(row.bytes), { ok: true, target, command: expected.command });
    });
  }
}

test('every command listed in EXPECTED is a row of vectors.tsv', () => {
  const frames = new Set(rows.map((r) => r.text));
  assert.deepEqual(
    Object.keys(EXPECTED).filter((frame) => !frames.has(frame)),
    [],
  );
});

test('the test copy of vectors.tsv is the shared one', (t) => {
  if (!existsSync(SHARED_VECTORS_URL)) {
    t.skip('shared folder not present in this checkout');
    return;
  }
  assert.ok(
    readFileSync(VECTORS_URL).equals(readFileSync(SHARED_VECTORS_URL)),
    'copy /work/shared/protocol/vectors.tsv to packages/protocol/test-data/',
  );
});

test('LENGTH is four upper-case hex digits equal to the content bytes as sent', () => {
  fc.assert(
    fc.property(targetArb, commandArb, (target, command) => {
      const frame = encodeCommand(target, command);
      const opened = openEnvelope(frame);
      assert.ok(opened.ok);
      assert.equal(opened.envelope.declaredLength, opened.content.length);
      assert.ok(opened.envelope.isLengthCorrect);
      const scan = scanHeader(frame, 0, frame.length - 1, true);
      assert.ok(scan.status === 'ok');
      const length = frame.toString('latin1', scan.header.lengthStart, scan.header.lengthStart + 4);
      assert.match(length, /^[0-9A-F]{4}$/);
    }),
    { numRuns: 2000 },
  );
});

test('no framing byte ([ ] *) appears inside the content of any command', () => {
  fc.assert(
    fc.property(targetArb, commandArb, (target, command) => {
      const opened = openEnvelope(encodeCommand(target, command));
      assert.ok(opened.ok);
      for (const byte of [0x5b, 0x5d, 0x2a]) assert.equal(opened.content.indexOf(byte), -1);
    }),
    { numRuns: 1000 },
  );
});

test('no command is ever written as MONITOR (covert listening)', () => {
  for (const name of COMMAND_NAMES) {
    assert.notEqual(commandKeyword(name).toUpperCase(), 'MONITOR');
  }
  fc.assert(
    fc.property(targetArb, commandArb, (target, command) => {
      const content = openEnvelope(encodeCommand(target, command));
      assert.ok(content.ok);
      assert.ok(!content.content.toString('latin1').toUpperCase().startsWith('MONITOR'));
    }),
  );
});

test('hexCase lower writes names and text in lower-case hex, and nothing else changes', () => {
  const target = { vendor: '3G', deviceId: '8800000015' };
  const command: Command = { type: 'showText', text: 'Zoë' };
  assert.equal(
    encodeCommand(target, command).toString('latin1'),
    '[3G*8800000015*0014*MESSAGE,005A006F00EB]',
  );
  assert.equal(
    encodeCommand(target, command, { hexCase: 'lower' }).toString('latin1'),
    '[3G*8800000015*0014*MESSAGE,005a006f00eb]',
  );
});

test('an indexed target carries its index into the header', () => {
  const frame = encodeCommand(
    { vendor: 'ZJ', deviceId: '014111001332708', index: '0001' },
    { type: 'locateNow' },
  );
  assert.equal(frame.toString('latin1'), '[ZJ*014111001332708*0001*0002*CR]');
});
