import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FrameSplitter, type DiscardReason } from '../frame/frame-splitter.ts';
import { commandKeyword } from '../keywords.ts';
import { assertPhysicallySane } from '../testing/physical-sanity.ts';
import { loadVectors, vectorName, type Vector } from '../testing/vectors.ts';
import { decodeFrame } from './frame.decoder.ts';
import type { DecodedFrame, LocationBlock, UplinkMessage } from './messages.ts';
import { requiredReply } from './replies.ts';

interface Split {
  frames: Buffer[];
  discards: [DiscardReason, number][];
  buffered: number;
}

function split(chunks: readonly Buffer[], close = true): Split {
  const splitter = new FrameSplitter();
  const out: Split = { frames: [], discards: [], buffered: 0 };
  const sink = {
    frame: (bytes: Buffer) => out.frames.push(Buffer.from(bytes)),
    discard: (reason: DiscardReason, count: number) => out.discards.push([reason, count]),
  };
  for (const chunk of chunks) splitter.push(chunk, sink);
  out.buffered = splitter.bufferedBytes;
  if (close) splitter.end(sink);
  return out;
}

function bytewise(bytes: Buffer): Buffer[] {
  return [...bytes].map((b) => Buffer.from([b]));
}

/** Keys that describe Traccar's behaviour or provenance, not ours. */
const IGNORED = new Set([
  'note',
  'speed_kn',
  'traccar_alarm',
  'traccar_motion',
  'traccar_network',
  'traccar_temp',
  'reply_traccar',
  'doc_printed_len',
  'chunk_starts',
  'complete',
  'total_audio_len',
  'unescaped_len',
  'wire_len',
  'echo',
  'framing',
]);

function near(actual: number | undefined, expected: string, key: string): void {
  assert.ok(actual !== undefined, `${key} missing`);
  assert.ok(Math.abs(actual - Number(expected)) < 1e-9, `${key}: ${actual} != ${expected}`);
}

function listOrEmpty(text: string): string[] {
  return text === 'none' ? [] : text.split('|');
}

function locationOf(message: UplinkMessage): LocationBlock | undefined {
  return 'location' in message ? message.location : undefined;
}

function checkLocationKey(loc: LocationBlock, key: string, value: string): boolean {
  const net = loc.network;
  const numeric: Record<string, number | undefined> = {
    lat: loc.latitude,
    lon: loc.longitude,
    speed_kmh: loc.speedKmh,
    course: loc.courseDegrees,
    alt: loc.altitudeMeters,
    sats: loc.satellites,
    gsm: loc.gsmSignalPercent,
    battery: loc.batteryPercent,
    steps: loc.steps,
    tumbles: loc.tumbles,
    ta: net.timingAdvance,
    cells: net.cells.length,
    wifi: net.wifi.length,
  };
  if (key in numeric) {
    near(numeric[key], value, key);
    return true;
  }
  switch (key) {
    case 'time':
      assert.equal(loc.recordedAt.toISOString().replace('.000Z', 'Z'), value);
      return true;
    case 'valid':
      assert.equal(loc.hasGnssFix, value === '1');
      return true;
    case 'status':
      assert.equal(loc.status, value);
      return true;
    case 'alarms':
      assert.deepEqual(loc.alarms, listOrEmpty(value));
      return true;
    case 'state_bits':
      assert.deepEqual(loc.stateBits, listOrEmpty(value).map(Number));
      return true;
    case 'mcc':
    case 'mnc':
      if (value === 'FFFF') {
        assert.equal(net[key], undefined);
        assert.equal(net.isOperatorKnown, false);
      } else {
        assert.equal(net[key], Number(value));
      }
      return true;
    case 'cell_list':
      assert.deepEqual(
        net.cells.map((c) => [c.lac, c.cid, c.rssi].filter((v) => v !== undefined).join('/')),
        value.split('|'),
      );
      return true;
    case 'wifi_list':
      assert.deepEqual(
        net.wifi.map((w) => `${w.mac}/${w.rssi}`),
        value.split('|'),
      );
      return true;
    case 'tail':
      assert.deepEqual(loc.tail, [value]);
      return true;
    case 'ssid1':
      assert.equal(net.wifi[0]?.ssid, value);
      return true;
    case 'layout':
      assert.equal(value, 'sg-placeholders');
      assert.equal(net.hasPlaceholderLayout, true);
      return true;
  }
  return false;
}

function checkCellReportKey(message: UplinkMessage, key: string, value: string): boolean {
  if (message.type !== 'cellReport') return false;
  const net = message.network;
  switch (key) {
    case 'cells':
      assert.equal(net.cells.length, Number(value));
      return true;
    case 'ta':
      assert.equal(net.timingAdvance, Number(value));
      return true;
    case 'mcc':
    case 'mnc':
      assert.equal(net[key], Number(value));
      return true;
    case 'cell_list':
      assert.deepEqual(
        net.cells.map((c) => `${c.lac}/${c.cid}/${c.rssi ?? ''}`),
        value.split('|'),
      );
      return true;
  }
  return false;
}

function checkMessageKey(message: UplinkMessage, key: string, value: string): boolean {
  const m = message as unknown as Record<string, unknown>;
  const numeric: Record<string, string> = {
    heart_rate: 'beatsPerMinute',
    bp_high: 'systolicMmHg',
    bp_low: 'diastolicMmHg',
    temp_c: 'celsius',
    spo2: 'saturationPercent',
    part: 'part',
    total: 'total',
    steps: 'steps',
    tumbles: 'tumbles',
    battery: 'batteryPercent',
  };
  const field = numeric[key];
  if (field !== undefined) {
    near(m[field] as number | undefined, value, key);
    return true;
  }
  if (['iccid', 'imei', 'imsi', 'eid', 'name'].includes(key)) {
    assert.equal(m[key] ?? '', value);
    return true;
  }
  switch (key) {
    case 'protocol':
      assert.equal(m.transport, value);
      return true;
    case 'mode':
      assert.equal(m.site, value.startsWith('0') ? 'forehead' : 'wrist');
      return true;
    case 'audio_hex':
      assert.equal((m.audio as Buffer).toString('hex'), value);
      return true;
    case 'audio_len':
    case 'chunk_len':
      assert.equal((m.audio as Buffer).length, Number(value));
      return true;
    case 'jpeg_hex':
      assert.equal((m.jpeg as Buffer).toString('hex'), value);
      return true;
    case 'jpeg_len':
      assert.equal((m.jpeg as Buffer).length, Number(value));
      return true;
    case 'p1':
      if (message.type === 'photo') assert.equal(message.sequence, value);
      return true;
    case 'time':
      if (message.type !== 'photo') return false;
      assert.equal(message.takenAt?.toISOString().slice(0, 19), value);
      return true;
    case 'watch_clock':
      assert.equal(m.watchClock, value);
      return true;
    case 'pairs':
      assert.equal((m.entries as Map<string, string>).size, Number(value));
      return true;
    case 'TY':
    case 'UL':
    case 'BT':
    case 'LS':
    case 'VR':
      assert.equal((m.entries as Map<string, string>).get(key), value);
      return true;
  }
  return false;
}

function checkAckKey(message: UplinkMessage, key: string, value: string): boolean {
  if (message.type !== 'commandAck') return false;
  switch (key) {
    case 'role':
      return true;
    case 'ack_for':
      assert.equal(
        message.command === 'covertListening' ? 'MONITOR' : commandKeyword(message.command),
        value,
      );
      return true;
    case 'result':
      assert.equal(message.isSuccess, value === '1');
      return true;
    case 'version':
      assert.equal(message.values[0], value);
      return true;
  }
  return false;
}

/** Replies that need data Kinwatch deliberately does not fetch or offer (weather, friend bump). */
const OPTIONAL_REPLIES = new Set(['weatherRequest', 'friendBump']);

function checkReply(decoded: DecodedFrame, value: string): void {
  const reply = requiredReply(decoded);
  if (value.startsWith('[') && !OPTIONAL_REPLIES.has(decoded.message.type)) {
    assert.equal(reply?.frame.toString('latin1'), value);
  } else {
    // `none`, or an optional reply Kinwatch does not offer (weather, friend bump).
    assert.equal(reply, undefined, `unexpected reply ${reply?.content ?? ''}`);
  }
}

function checkEnvelopeKey(decoded: DecodedFrame, key: string, value: string): boolean {
  const { envelope, message } = decoded;
  switch (key) {
    case 'vendor':
      assert.equal(envelope.vendor, value);
      return true;
    case 'id':
      assert.equal(envelope.deviceId, value);
      return true;
    case 'index':
      assert.equal(envelope.index, value);
      return true;
    case 'len_ok':
      assert.equal(envelope.isLengthCorrect, value === '1');
      return true;
    case 'declared_len':
      assert.equal(envelope.declaredLength, Number(value));
      return true;
    case 'type':
      assert.equal(message.keyword, value);
      return true;
    case 'reply':
      checkReply(decoded, value);
      return true;
  }
  return false;
}

/** Checks every expectation of a vector; an expectation nobody checks fails the test. */
function checkExpectations(vector: Vector, decoded: DecodedFrame): void {
  const location = locationOf(decoded.message);
  if (location !== undefined) assertPhysicallySane(location);
  if (vector.expect.get('role') === 'ack') assert.equal(decoded.message.type, 'commandAck');
  for (const [key, value] of vector.expect) {
    if (IGNORED.has(key)) continue;
    const isChecked =
      checkEnvelopeKey(decoded, key, value) ||
      checkAckKey(decoded.message, key, value) ||
      checkCellReportKey(decoded.message, key, value) ||
      (location !== undefined && checkLocationKey(location, key, value)) ||
      checkMessageKey(decoded.message, key, value);
    assert.ok(isChecked, `expectation ${key}=${value} is not checked for ${decoded.message.type}`);
  }
}

function decodeOne(bytes: Buffer): DecodedFrame {
  const result = decodeFrame(bytes);
  if (!result.ok) assert.fail(`refused: ${result.reason}`);
  return result.frame;
}

const SPECIAL = new Set(['multi', 'partial', 'resync', 'malformed']);
const vectors = loadVectors().filter((v) => v.direction === 'up');
const frames = vectors.filter((v) => !SPECIAL.has(v.kind));

describe('uplink vectors', () => {
  frames.forEach((vector, i) => {
    test(vectorName(vector), () => {
      const whole = split([vector.bytes]);
      assert.deepEqual(whole.discards, []);
      assert.equal(whole.frames.length, 1);
      assert.deepEqual(whole.frames[0], vector.bytes);
      checkExpectations(vector, decodeOne(vector.bytes));

      const single = split(bytewise(vector.bytes));
      assert.deepEqual(single.frames, whole.frames, 'fed one byte at a time');

      const before = (frames[i - 1] ?? frames[frames.length - 1]) as Vector;
      const after = (frames[i + 1] ?? frames[0]) as Vector;
      const coalesced = split([Buffer.concat([before.bytes, vector.bytes, after.bytes])]);
      assert.deepEqual(coalesced.frames, [before.bytes, vector.bytes, after.bytes], 'coalesced');
    });
  });
});

describe('stream vectors', () => {
  test('several frames in one read are all decoded and answered in order', () => {
    const vector = vectors.find((v) => v.kind === 'multi') as Vector;
    const out = split([vector.bytes]);
    const decoded = out.frames.map(decodeOne);
    assert.equal(decoded.length, Number(vector.expect.get('frames')));
    assert.deepEqual(decoded.map((d) => d.message.keyword).join('|'), vector.expect.get('types'));
    const replies = decoded.flatMap((d) => requiredReply(d)?.content ?? []);
    assert.equal(replies.join('|'), vector.expect.get('replies'));
    const ud = decoded[1]?.message;
    assert.ok(ud?.type === 'locationReport');
    near(ud.location.latitude, vector.expect.get('ud_lat') ?? '', 'lat');
    near(ud.location.longitude, vector.expect.get('ud_lon') ?? '', 'lon');
    near(ud.location.speedKmh, vector.expect.get('ud_speed_kmh') ?? '', 'speed');
    assert.equal(ud.location.network.cells.length, 0);
    assert.equal(ud.location.network.wifi.length, 0);
    assert.deepEqual(ud.location.tail, [vector.expect.get('ud_tail')]);
    assert.equal(ud.location.accuracyMeters, 58);
  });

  test('a partial frame is kept until the rest arrives', () => {
    const vector = vectors.find((v) => v.kind === 'partial') as Vector;
    const out = split([vector.bytes], false);
    assert.equal(out.frames.length, 0);
    assert.equal(out.buffered, Number(vector.expect.get('buffered')));
    const completed = split([vector.bytes, Buffer.from(',53]')]);
    assert.equal(completed.frames.length, 1);
    const message = decodeOne(completed.frames[0] as Buffer).message;
    assert.ok(message.type === 'linkKeepAlive');
    assert.equal(message.batteryPercent, 53);
  });

  test('bytes before the first bracket are skipped, not turned into a frame', () => {
    const vector = vectors.find((v) => v.kind === 'resync') as Vector;
    const out = split([vector.bytes]);
    assert.deepEqual(out.discards, [['noise', Number(vector.expect.get('skipped_prefix'))]]);
    assert.equal(out.frames.length, 1);
    assert.equal(decodeOne(out.frames[0] as Buffer).message.keyword, 'LK');
  });
});

/** What each malformed vector must produce: a splitter discard or a decoder refusal. */
const REJECTIONS: readonly [
  string,
  { discard?: DiscardReason; reason?: RegExp; frames?: number },
][] = [
  ['unterminated at connection close', { discard: 'unterminated' }],
  ['no opening bracket', { discard: 'noise' }],
  ['empty frame', { reason: /empty frame/ }],
  ['missing length and content', { reason: /header/ }],
  ['empty device id', { reason: /empty device id/ }],
  ['vendor code not 2 characters', { reason: /vendor code/ }],
  ['non-numeric device id', { reason: /device id/ }],
  ['length not hex', { reason: /header/ }],
  ['empty content', { reason: /empty content/ }],
  ['first frame truncated', { discard: 'truncated', frames: 1 }],
  ['invalid date', { reason: /invalid date/ }],
  ['position truncated', { reason: /truncated/ }],
  ['non-numeric latitude', { reason: /latitude/ }],
  ['validity flag not A/V', { reason: /validity/ }],
  ['invalid escape 7d06', { reason: /invalid escape 7d06/ }],
  ['escape byte 7d at end', { reason: /7d at end/ }],
];

describe('malformed vectors', () => {
  for (const vector of vectors.filter((v) => v.kind === 'malformed')) {
    test(vectorName(vector), () => {
      const reject = vector.expect.get('reject') ?? '';
      const rule = REJECTIONS.find(([prefix]) => reject.startsWith(prefix))?.[1];
      assert.ok(rule, `no rule for rejection "${reject}"`);
      for (const chunks of [[vector.bytes], bytewise(vector.bytes)]) {
        const out = split(chunks);
        if (rule.discard !== undefined) {
          assert.ok(
            out.discards.some(([reason]) => reason === rule.discard),
            JSON.stringify(out.discards),
          );
        }
        const decoded = out.frames.map((f) => decodeFrame(f));
        if (rule.reason !== undefined) {
          assert.equal(decoded.length, 1);
          const result = decoded[0];
          assert.ok(result !== undefined && !result.ok, 'frame must be refused');
          assert.match(result.reason, rule.reason);
        } else {
          assert.equal(decoded.length, rule.frames ?? 0);
          for (const result of decoded) assert.ok(result.ok);
        }
      }
    });
  }
});
