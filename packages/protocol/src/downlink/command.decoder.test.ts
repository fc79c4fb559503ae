import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { encodeFrame } from '../frame/envelope.ts';
import { KEYWORD_TABLE } from '../keywords.ts';
import {
  COMMAND_NAMES,
  commandArb,
  commandArbFor,
  targetArb,
} from '../testing/command-arbitraries.ts';
import { decodeCommand } from './command.decoder.ts';
import { encodeCommand } from './command.encoder.ts';
import type { Command } from './command.model.ts';

const WATCH = { vendor: '3G', deviceId: '8800000015' };
const frame = (content: string): Buffer => encodeFrame(WATCH, content);

function decodedCommand(content: string): Command {
  const result = decodeCommand(frame(content));
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return result.command;
}

function refusal(bytes: Buffer): string {
  const result = decodeCommand(bytes);
  if (result.ok) assert.fail(`expected ${bytes.toString('latin1')} to be refused`);
  return result.reason;
}

for (const name of COMMAND_NAMES) {
  test(`${name}: decode(encode(target, command)) gives back the target and the command`, () => {
    const arbitrary = commandArbFor(name);
    fc.assert(
      fc.property(targetArb, arbitrary, (target, command) => {
        assert.deepEqual(decodeCommand(encodeCommand(target, command)), {
          ok: true,
          target,
          command,
        });
      }),
      { numRuns: 200 },
    );
  });
}

test('the round trip also holds with lower-case hex', () => {
  fc.assert(
    fc.property(targetArb, commandArb, (target, command) => {
      const bytes = encodeCommand(target, command, { hexCase: 'lower' });
      assert.deepEqual(decodeCommand(bytes), { ok: true, target, command });
    }),
  );
});

test('decodeCommand never throws, whatever the bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      decodeCommand(Buffer.from(bytes));
    }),
    { numRuns: 2000 },
  );
});

test('decodeCommand never throws on any keyword with any parameters', () => {
  const keyword = fc.constantFrom(...KEYWORD_TABLE.map((e) => e.keyword), 'UNKNOWN', '');
  const param = fc.string({
    unit: fc.constantFrom(...Array.from('0123456789+-:.AaFf好, }')),
    maxLength: 12,
  });
  fc.assert(
    fc.property(keyword, fc.array(param, { maxLength: 12 }), (kw, params) => {
      const content = params.length === 0 ? kw : `${kw},${params.join(',')}`;
      decodeCommand(Buffer.from(`[3G*8800000015*0001*${content}]`, 'utf8'));
    }),
    { numRuns: 3000 },
  );
});

test('decodeCommand never throws on a valid frame with one byte changed, added or removed', () => {
  const edit = fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }), op: fc.nat(2) });
  fc.assert(
    fc.property(targetArb, commandArb, edit, (target, command, { at, byte, op }) => {
      const bytes = encodeCommand(target, command);
      const i = at % bytes.length;
      const parts = [bytes.subarray(0, i), op === 0 ? Buffer.of(byte) : Buffer.alloc(0)];
      const rest = op === 2 ? bytes.subarray(i) : bytes.subarray(i + 1);
      if (op === 1) parts.push(Buffer.of(byte));
      decodeCommand(Buffer.concat([...parts, rest]));
    }),
    { numRuns: 2000 },
  );
});

test('accepts the variations other senders write', () => {
  assert.deepEqual(decodedCommand('SILENCETIME,21:10-07:30'), {
    type: 'setQuietTimes',
    periods: [{ start: '21:10', end: '07:30' }],
  });
  assert.deepEqual(decodedCommand('ZONE,+8'), { type: 'setTimeZone', utcOffsetHours: 8 });
  assert.deepEqual(decodedCommand('ZONE,-3.5'), { type: 'setTimeZone', utcOffsetHours: -3.5 });
  assert.deepEqual(decodedCommand('LZ,,-0'), { type: 'setLanguageAndTimeZone', utcOffsetHours: 0 });
  assert.deepEqual(decodedCommand('LZ,5,11.5'), {
    type: 'setLanguageAndTimeZone',
    language: 5,
    utcOffsetHours: 11.5,
  });
  assert.deepEqual(decodedCommand('MESSAGE,597d003100320033'), { type: 'showText', text: '好123' });
  assert.deepEqual(decodedCommand('PHBX,7,0041006E006E0061,+4912345,'), {
    type: 'setPhonebookEntry',
    slot: 7,
    name: 'Anna',
    phoneNumber: '+4912345',
  });
  assert.deepEqual(decodedCommand('hrtstart,0'), {
    type: 'setHeartRateInterval',
    measurement: { kind: 'off' },
  });
  assert.deepEqual(decodedCommand('BTTIMESET,2,08:00-0,20:00-1'), {
    type: 'setTemperatureSchedule',
    times: [
      { time: '08:00', repeat: 'daily' },
      { time: '20:00', repeat: 'once' },
    ],
  });
});

test('a wrong LENGTH does not refuse a command, as on real watches', () => {
  const result = decodeCommand(Buffer.from('[3G*8800000015*0009*UPLOAD,600]'));
  assert.deepEqual(result, {
    ok: true,
    target: WATCH,
    command: { type: 'setUploadInterval', intervalSeconds: 600 },
  });
});

test('refuses MONITOR, replies, uplink messages and unknown keywords', () => {
  assert.match(refusal(frame('MONITOR,13600000000')), /covert listening/);
  assert.match(refusal(frame('LK')), /not a command/);
  assert.match(refusal(frame('UD,220414,134652,A')), /not a command/);
  assert.match(refusal(frame('JXTKR,1')), /not a command/);
  assert.match(refusal(frame('IP,1.2.3.4,8001')), /not a command/);
  assert.match(refusal(frame('monitor,13600000000')), /not a command/);
});

test('refuses parameters a command cannot have, naming the field', () => {
  assert.match(refusal(frame('UPLOAD,5')), /^intervalSeconds: /);
  assert.match(refusal(frame('UPLOAD,1e3')), /^intervalSeconds: /);
  assert.match(refusal(frame('UPLOAD')), /^params: expected 1 values, got 0/);
  assert.match(refusal(frame('CR,1')), /^params: /);
  assert.match(refusal(frame('SOSSMS,2')), /^isEnabled: /);
  assert.match(refusal(frame('CENTER,12-34')), /^phoneNumber: /);
  assert.match(refusal(frame('SOS,123,456')), /^params: /);
  assert.match(refusal(frame('PHB,123')), /^entries: /);
  assert.match(refusal(frame('PHB,123,00')), /^entries\[0\]\.name: /);
  assert.match(refusal(frame('PHB,123,')), /^entries\[0\]\.name: /);
  assert.match(refusal(frame('PHBX,1,0041,123,photo.jpg')), /^photo: /);
  assert.match(refusal(frame('SILENCETIME,21:10')), /^periods\[0\]: /);
  assert.match(refusal(frame('SILENCETIME,24:00-7:30')), /^periods\[0\]\.start: /);
  assert.match(refusal(frame('REMIND,08:10-1-3')), /^alarms\[0\]: /);
  assert.match(refusal(frame('REMIND,08:10-1-1-0111110')), /^alarms\[0\]: /);
  assert.match(refusal(frame('REMIND,08:10-1-9')), /^alarms\[0\]\.repeat: /);
  assert.match(refusal(frame('LZ,,+5.3')), /^utcOffsetHours: /);
  assert.match(refusal(frame('profile,5')), /^profile: /);
  assert.match(refusal(frame('LSSET,7+6')), /^level: /);
  assert.match(refusal(frame('BTTIMESET,3,08:00-0')), /^times: count says 3, 1 sent/);
  assert.match(refusal(frame('MESSAGE,')), /^text: /);
  assert.match(refusal(frame('MESSAGE,D800')), /^text: unpaired surrogate/);
});

test('refuses voice messages without audio or with a broken escape', () => {
  assert.match(refusal(frame('TK')), /^audio: voice message without audio/);
  assert.match(refusal(Buffer.from('[3G*8800000015*0005*TK,\x7d\x09]', 'latin1')), /^audio: /);
  assert.match(refusal(Buffer.from('[3G*8800000015*0004*TK,\x7d]', 'latin1')), /^audio: /);
});

test('refuses frames whose envelope is broken', () => {
  assert.match(refusal(Buffer.from('3G*8800000015*0002*CR')), /bracketed/);
  assert.match(refusal(Buffer.from('[3G*88*0002*CR]')), /device id/);
  assert.match(refusal(Buffer.from('[3G*8800000015*0000*]')), /./);
});

test('the decoded audio is a copy that does not share memory with the frame', () => {
  const bytes = encodeCommand(WATCH, { type: 'voiceMessage', audio: Uint8Array.of(1, 2, 3) });
  const result = decodeCommand(bytes);
  assert.ok(result.ok && result.command.type === 'voiceMessage');
  bytes.fill(0);
  assert.deepEqual(result.command.audio, Uint8Array.of(1, 2, 3));
});
