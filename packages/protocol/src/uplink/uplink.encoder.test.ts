import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { FrameTarget } from '../frame/envelope.ts';
import { FrameSplitter } from '../frame/frame-splitter.ts';
import { assertPhysicallySane } from '../testing/physical-sanity.ts';
import { decodeFrame } from './frame.decoder.ts';
import type { DecodedFrame, LocationBlock, UplinkMessage } from './messages.ts';
import {
  ALARM_NAMES,
  encodeLocationBlock,
  encodeUplink,
  type LocationBlockInput,
  type NetworkInput,
  type UplinkInput,
} from './uplink.encoder.ts';

const WATCH: FrameTarget = { vendor: '3G', deviceId: '8800000015' };
const RUNS = { numRuns: 300 };

const targets: fc.Arbitrary<FrameTarget> = fc.record({
  vendor: fc.constantFrom('3G', 'SG', 'CS', 'ZJ', '3g'),
  deviceId: fc.stringMatching(/^[0-9]{10}$|^[0-9]{15}$/),
  index: fc.option(fc.stringMatching(/^[0-9A-F]{4}$/), { nil: undefined }),
});

/** Whole seconds from 2000 to 2099: the wire carries no milliseconds and a two-digit year. */
const instants = fc
  .integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2099, 11, 31, 23, 59, 59) / 1000 })
  .map((s) => new Date(s * 1000));

const octet = fc.integer({ min: 0, max: 255 }).map((n) => n.toString(16).padStart(2, '0'));
// SSIDs are raw text on the wire: brackets, spaces and escape-looking bytes included, commas not.
const SSID_CHARS = 'abcXYZ019 _-[]}*#';

const networks = (ssidChars: string) =>
  fc.record({
    timingAdvance: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
    mcc: fc.option(fc.integer({ min: 0, max: 999 }), { nil: undefined }),
    mnc: fc.option(fc.integer({ min: 0, max: 999 }), { nil: undefined }),
    cells: fc.array(
      fc.record({
        lac: fc.integer({ min: 0, max: 65_535 }),
        cid: fc.integer({ min: 0, max: 268_435_455 }),
        rssi: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
      }),
      { maxLength: 7 },
    ),
    wifi: fc.array(
      fc.record({
        ssid: fc.string({ unit: fc.constantFrom(...ssidChars.split('')), maxLength: 20 }),
        mac: fc.array(octet, { minLength: 6, maxLength: 6 }).map((o) => o.join(':')),
        rssi: fc.integer({ min: -129, max: -1 }),
      }),
      { maxLength: 6 },
    ),
  });

const blocksWith = (ssidChars: string): fc.Arbitrary<LocationBlockInput> =>
  fc.record({
    recordedAt: instants,
    hasGnssFix: fc.boolean(),
    latitude: fc.double({ min: -90, max: 90, noNaN: true }),
    longitude: fc.double({ min: -180, max: 180, noNaN: true }),
    speedKmh: fc.double({ min: 0, max: 999, noNaN: true }),
    courseDegrees: fc.double({ min: 0, max: 359.9, noNaN: true }),
    altitudeMeters: fc.double({ min: -400, max: 9000, noNaN: true }),
    satellites: fc.integer({ min: 0, max: 40 }),
    gsmSignalPercent: fc.integer({ min: 0, max: 100 }),
    batteryPercent: fc.integer({ min: 0, max: 100 }),
    steps: fc.integer({ min: 0, max: 1_000_000 }),
    tumbles: fc.integer({ min: 0, max: 10_000 }),
    alarms: fc.shuffledSubarray([...ALARM_NAMES]),
    stateBits: fc.uniqueArray(fc.integer({ min: 0, max: 15 }), { maxLength: 16 }),
    network: networks(ssidChars),
    accuracyMeters: fc.option(fc.double({ min: 0.01, max: 5000, noNaN: true }), { nil: undefined }),
  });

/** Payloads rich in the five bytes that must be escaped: 7D 5B 5D 2C 2A. */
function payloads(minLength: number): fc.Arbitrary<Uint8Array> {
  const byte = fc.oneof(
    fc.constantFrom(0x7d, 0x5b, 0x5d, 0x2c, 0x2a),
    fc.integer({ min: 0, max: 255 }),
  );
  return fc.array(byte, { minLength, maxLength: 600 }).map((b) => Uint8Array.from(b));
}

function decoded(frame: Buffer, target: FrameTarget): DecodedFrame {
  const result = decodeFrame(frame);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  const { envelope } = result.frame;
  assert.deepEqual(
    [envelope.vendor, envelope.deviceId, envelope.index],
    [target.vendor, target.deviceId, target.index],
  );
  assert.ok(envelope.isLengthCorrect, 'LENGTH must count the content exactly');
  return result.frame;
}

function roundTrip(target: FrameTarget, input: UplinkInput): UplinkMessage {
  return decoded(encodeUplink(target, input), target).message;
}

function near(actual: number, expected: number, tolerance: number, field: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${field}: ${actual} vs ${expected}`);
}

function assertSameNetwork(actual: LocationBlock['network'], net: NetworkInput): void {
  const hasCells = (net.cells ?? []).length > 0;
  // Spread: generated records have no prototype, decoded ones do.
  assert.deepEqual(
    actual.cells,
    (net.cells ?? []).map((c) => ({ ...c })),
  );
  assert.deepEqual(
    actual.wifi,
    (net.wifi ?? []).map((ap) => ({ ...ap })),
  );
  assert.equal(actual.mcc, hasCells ? net.mcc : undefined);
  assert.equal(actual.mnc, hasCells ? net.mnc : undefined);
  assert.equal(actual.timingAdvance, hasCells ? net.timingAdvance : undefined);
  assert.equal(actual.hasPlaceholderLayout, false);
}

function assertSameBlock(actual: LocationBlock, input: LocationBlockInput): void {
  assertPhysicallySane(actual);
  assert.equal(actual.recordedAt.getTime(), input.recordedAt.getTime());
  assert.equal(actual.hasGnssFix, input.hasGnssFix);
  near(actual.latitude, input.latitude, 5e-7, 'latitude');
  near(actual.longitude, input.longitude, 5e-8, 'longitude');
  assert.equal(actual.isHemisphereMissing, false);
  near(actual.speedKmh, input.speedKmh ?? 0, 0.005, 'speed');
  near(actual.courseDegrees, input.courseDegrees ?? 0, 0.05, 'course');
  near(actual.altitudeMeters, input.altitudeMeters ?? 0, 0.05, 'altitude');
  const counters = [
    'satellites',
    'gsmSignalPercent',
    'batteryPercent',
    'steps',
    'tumbles',
  ] as const;
  for (const key of counters) assert.equal(actual[key], input[key], key);
  assert.deepEqual(
    actual.alarms,
    ALARM_NAMES.filter((a) => input.alarms?.includes(a)),
  );
  assert.deepEqual(
    actual.stateBits,
    [...(input.stateBits ?? [])].sort((a, b) => a - b),
  );
  assertSameNetwork(actual.network, input.network ?? {});
  if (input.accuracyMeters === undefined) assert.equal(actual.accuracyMeters, undefined);
  else near(actual.accuracyMeters ?? Number.NaN, input.accuracyMeters, 0.005, 'accuracy');
}

describe('encodeUplink round trips through decodeFrame', () => {
  test('location reports, buffered reports and alarms keep every field', () => {
    const types = fc.constantFrom(
      ['locationReport', 'UD'],
      ['locationReport', 'UD_LTE'],
      ['bufferedLocationReport', 'UD2'],
      ['alarmReport', 'AL'],
      ['alarmReport', 'AL_LTE'],
    );
    fc.assert(
      fc.property(targets, types, blocksWith(SSID_CHARS), (target, [type, keyword], location) => {
        const message = { type, keyword, location } as Parameters<typeof encodeUplink>[1];
        const bytes = encodeUplink(target, message);
        const frame = decoded(bytes, target);
        assert.equal(frame.message.type, type);
        assert.equal(frame.message.keyword, keyword);
        assert.ok(frame.message.type === type && 'location' in frame.message);
        assertSameBlock(frame.message.location, location);
        // A decoded message encodes back to the very same bytes.
        assert.deepEqual(encodeUplink(target, frame.message), bytes);
      }),
      RUNS,
    );
  });

  test('voice, voice chunks and photos carry any bytes, escape characters included', () => {
    fc.assert(
      fc.property(targets, payloads(2), payloads(0), payloads(1), (target, audio, chunk, jpeg) => {
        const voice = roundTrip(target, { type: 'voiceMessage', audio });
        assert.deepEqual(voice, { type: 'voiceMessage', keyword: 'TK', audio: Buffer.from(audio) });
        const part = {
          type: 'voiceChunk',
          name: 'watch_7_20220526093954',
          part: 2,
          total: 3,
        } as const;
        const voiceChunk = roundTrip(target, { ...part, audio: chunk });
        assert.deepEqual(voiceChunk, { ...part, keyword: 'JXTK', audio: Buffer.from(chunk) });
        const takenAt = new Date(Date.UTC(2026, 4, 26, 9, 39, 54));
        const photo = roundTrip(target, { type: 'photo', takenAt, jpeg });
        const expected = { type: 'photo', keyword: 'img', sequence: '5', takenAt };
        assert.deepEqual(photo, { ...expected, jpeg: Buffer.from(jpeg) });
      }),
      RUNS,
    );
  });

  test('frames survive the splitter whole, coalesced and cut at any byte', () => {
    const frames = fc.array(
      fc.oneof(
        // `[ab*1` inside an SSID looks like a frame start to the splitter's truncation rule even
        // when LENGTH is exact; that case belongs to the splitter's own tests.
        blocksWith(SSID_CHARS.replace('*', '')).map((location) =>
          encodeUplink(WATCH, { type: 'locationReport', location }),
        ),
        payloads(2).map((audio) => encodeUplink(WATCH, { type: 'voiceMessage', audio })),
        payloads(1).map((jpeg) => encodeUplink(WATCH, { type: 'photo', takenAt: undefined, jpeg })),
      ),
      { minLength: 1, maxLength: 5 },
    );
    fc.assert(
      fc.property(frames, fc.array(fc.nat(), { maxLength: 8 }), (sent, cuts) => {
        const stream = Buffer.concat(sent);
        const bounds = [...new Set(cuts.map((c) => c % stream.length))].sort((a, b) => a - b);
        const received: Buffer[] = [];
        const splitter = new FrameSplitter();
        const sink = {
          frame: (f: Buffer) => received.push(Buffer.from(f)),
          discard: () => assert.fail('discarded'),
        };
        let from = 0;
        for (const to of [...bounds, stream.length]) {
          splitter.push(stream.subarray(from, to), sink);
          from = to;
        }
        splitter.end(sink);
        assert.deepEqual(received, sent);
      }),
      { numRuns: 100 },
    );
  });

  test('keep-alives, voice queries, heart rate and command acks', () => {
    const counters = fc.tuple(fc.nat(100_000), fc.nat(1000), fc.nat(100), fc.nat(300));
    fc.assert(
      fc.property(targets, counters, (target, [steps, tumbles, batteryPercent, bpm]) => {
        const lk = roundTrip(target, { type: 'linkKeepAlive', steps, tumbles, batteryPercent });
        const values = [steps, tumbles, batteryPercent].map(String);
        const counted = { steps, tumbles, batteryPercent, values };
        assert.deepEqual(lk, { type: 'linkKeepAlive', keyword: 'LK', ...counted });
        const heart = roundTrip(target, { type: 'heartRate', beatsPerMinute: bpm });
        assert.deepEqual(heart, { type: 'heartRate', keyword: 'heart', beatsPerMinute: bpm });
      }),
      RUNS,
    );
    // SG firmware's two values of unknown meaning travel as sent.
    const sg = roundTrip(WATCH, { type: 'linkKeepAlive', values: ['0', '100'] });
    assert.ok(sg.type === 'linkKeepAlive' && sg.steps === undefined);
    assert.deepEqual(sg.values, ['0', '100']);
    assert.deepEqual(roundTrip(WATCH, { type: 'voiceQuery' }), {
      type: 'voiceQuery',
      keyword: 'TKQ',
    });
    const acks = [
      [{ command: 'setUploadInterval' }, 'UPLOAD', [], undefined],
      [{ command: 'setSosNumber1', values: ['123456789'] }, 'SOS1', ['123456789'], undefined],
      [{ command: 'voiceMessage', values: ['1'] }, 'TK', ['1'], true],
      [{ command: 'setPhonebookEntry', values: ['0'] }, 'PHBX', ['0'], false],
      [{ command: 'covertListening' }, 'MONITOR', [], undefined],
    ] as const;
    for (const [input, keyword, values, isSuccess] of acks) {
      const ack = roundTrip(WATCH, { type: 'commandAck', ...input });
      assert.deepEqual(ack, {
        type: 'commandAck',
        keyword,
        command: input.command,
        values,
        isSuccess,
      });
    }
  });
});

describe('encodeUplink writes what firmware writes', () => {
  test('the keep-alive of the vendor document, byte for byte', () => {
    const frame = encodeUplink(WATCH, {
      type: 'linkKeepAlive',
      steps: 50,
      tumbles: 100,
      batteryPercent: 100,
    });
    assert.equal(frame.toString('latin1'), '[3G*8800000015*000D*LK,50,100,100]');
    assert.equal(
      encodeUplink(WATCH, { type: 'linkKeepAlive' }).toString(),
      '[3G*8800000015*0002*LK]',
    );
    const ack = encodeUplink(WATCH, { type: 'commandAck', command: 'setUploadInterval' });
    assert.equal(ack.toString(), '[3G*8800000015*0006*UPLOAD]');
  });

  test('a location block in the layout of reference §3', () => {
    const text = encodeLocationBlock({
      recordedAt: new Date(Date.UTC(2022, 3, 14, 13, 46, 52)),
      hasGnssFix: true,
      latitude: -22.571707,
      longitude: -113.8613968,
      speedKmh: 0.1,
      altitudeMeters: 100,
      satellites: 7,
      gsmSignalPercent: 60,
      batteryPercent: 90,
      steps: 1000,
      tumbles: 50,
      alarms: ['sos'],
      stateBits: [3],
      network: { timingAdvance: 1, mcc: 460, mnc: 0, cells: [{ lac: 9360, cid: 4082, rssi: 131 }] },
      accuracyMeters: 22,
    });
    assert.equal(
      text,
      '140422,134652,A,22.571707,S,113.8613968,W,0.1,0,100,7,60,90,1000,50,00010008,1,1,460,0,9360,4082,131,0,22.0',
    );
  });

  test('refuses what the wire cannot carry', () => {
    const base = {
      recordedAt: new Date(Date.UTC(2024, 0, 1)),
      hasGnssFix: true,
      latitude: 1,
      longitude: 2,
    };
    const ap = { ssid: 'Cafe, upstairs', mac: '60:45:cb:cb:34:68', rssi: -60 };
    const refused = [
      () => encodeLocationBlock({ ...base, network: { wifi: [ap] } }),
      () =>
        encodeLocationBlock({ ...base, network: { wifi: [{ ...ap, ssid: 'ok', mac: '60:45' }] } }),
      () => encodeLocationBlock({ ...base, recordedAt: new Date(Date.UTC(1999, 11, 31)) }),
      () => encodeLocationBlock({ ...base, latitude: 90.5 }),
      () => encodeLocationBlock({ ...base, steps: 1.5 }),
      () => encodeUplink(WATCH, { type: 'locationReport', keyword: 'AL', location: base }),
      () => encodeUplink(WATCH, { type: 'commandAck', command: 'voiceMessage' }),
      () => encodeUplink(WATCH, { type: 'voiceMessage', audio: Buffer.from('1') }),
    ];
    for (const encode of refused) assert.throws(encode, RangeError);
  });
});
