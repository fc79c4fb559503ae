import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { encodeFrame } from '../frame/envelope.ts';
import { escapeBinary, unescapeBinary } from '../frame/escape.ts';
import { assertPhysicallySane } from '../testing/physical-sanity.ts';
import { loadVectors } from '../testing/vectors.ts';
import { decodeFrame } from './frame.decoder.ts';
import type { LocationBlock, UplinkMessage } from './messages.ts';

const TARGET = { vendor: '3G', deviceId: '8800000015' };

function decode(content: string): UplinkMessage {
  const result = decodeFrame(encodeFrame(TARGET, content));
  if (!result.ok) assert.fail(`refused: ${result.reason}`);
  return result.frame.message;
}

function location(content: string): LocationBlock {
  const message = decode(content);
  assert.ok('location' in message, `${message.type} has no location`);
  return message.location;
}

const HEAD = 'UD,120118,070625,A,22.570720,N,113.8620167,E,4.5,188.6,12.0,9,100,51,14188,3';

describe('location block', () => {
  test('every alarm bit is reported on its own, states apart', () => {
    const block = location(`${HEAD},007F001F,0,0`);
    assert.deepEqual(block.alarms, [
      'sos',
      'lowBattery',
      'fenceOut',
      'fenceIn',
      'removed',
      'fall',
      'heartRateAbnormal',
    ]);
    assert.deepEqual(block.stateBits, [0, 1, 2, 3, 4]);
  });

  test('SOS with the low-battery state is an SOS, not a low-battery alarm', () => {
    const block = location(`${HEAD},00010001,0,0`.replace('UD,', 'AL,'));
    assert.deepEqual(block.alarms, ['sos']);
    assert.deepEqual(block.stateBits, [0]);
  });

  test('hemisphere letters follow the sign rules', () => {
    const south = location('UD,120118,070625,A,33.5,S,70.5,W,0,0,0,0,0,0,0,0,0,0,0');
    assert.equal(south.latitude, -33.5);
    assert.equal(south.longitude, -70.5);
    const signed = location('UD,120118,070625,A,-33.5,N,-70.5,E,0,0,0,0,0,0,0,0,0,0,0');
    assert.equal(signed.latitude, -33.5);
    assert.equal(signed.longitude, -70.5);
    const missing = location('UD,120118,070625,A,33.5,,70.5,,0,0,0,0,0,0,0,0,0,0,0');
    assert.equal(missing.isHemisphereMissing, true);
    assert.equal(missing.longitude, 70.5);
  });

  test('an SSID holding a comma is realigned on the MAC address', () => {
    const block = location(
      `${HEAD},00000000,0,2,Cafe, Bar,00:11:22:33:44:55,-60,Home,66:77:88:99:aa:bb,-70,12.5`,
    );
    assert.deepEqual(
      block.network.wifi.map((w) => [w.ssid, w.mac, w.rssi]),
      [
        ['Cafe, Bar', '00:11:22:33:44:55', -60],
        ['Home', '66:77:88:99:aa:bb', -70],
      ],
    );
    assert.equal(block.accuracyMeters, 12.5);
  });

  test('a report larger than 2 KiB (32 access points with long names) reads the same', () => {
    const points = Array.from(
      { length: 32 },
      (_, k) => `${'Network '.repeat(6)}${k},00:11:22:33:44:${(16 + k).toString(16)},-${40 + k}`,
    );
    const content = `${HEAD},00000000,1,1,460,0,9360,4082,131,32,${points.join(',')},8.5`;
    assert.ok(content.length > 2048);
    const block = location(content);
    assert.equal(block.network.wifi.length, 32);
    assert.deepEqual(block.network.wifi[31], {
      ssid: `${'Network '.repeat(6)}31`,
      mac: '00:11:22:33:44:2f',
      rssi: -71,
    });
    assert.deepEqual(block.network.cells, [{ lac: 9360, cid: 4082, rssi: 131 }]);
    assert.equal(block.accuracyMeters, 8.5);
    assert.deepEqual(block.tail, ['8.5']);
    assert.equal(block.latitude, 22.57072);
  });

  test('access points without a MAC or signal are dropped', () => {
    const block = location(`${HEAD},00000000,0,3,a,0,-60,b,,-61,c,00:11:22:33:44:55,`);
    assert.equal(block.network.wifi.length, 0);
  });

  test('hex and decimal cells, and an unknown operator', () => {
    const block = location(`${HEAD},00000000,2,1,FFFF,FFFF,55C0,3B882A2,132,9360,4082,`);
    assert.deepEqual(
      block.network.cells.map((c) => [c.lac, c.cid, c.rssi]),
      [
        [21952, 62423714, 132],
        [9360, 4082, undefined],
      ],
    );
    assert.equal(block.network.isOperatorKnown, false);
  });

  test('absurd values are refused with a reason', () => {
    for (const [content, reason] of [
      ['UD,120118,070625,A,95.0,N,10.0,E,0,0,0,0,0,0,0,0,0,0,0', /out of range/],
      ['UD,290223,070625,A,1.0,N,10.0,E,0,0,0,0,0,0,0,0,0,0,0', /invalid date/],
      ['UD,120118,250625,A,1.0,N,10.0,E,0,0,0,0,0,0,0,0,0,0,0', /invalid date/],
      ['UD,120118,070625,A,1.0,Q,10.0,E,0,0,0,0,0,0,0,0,0,0,0', /hemisphere/],
      ['UD,120118,070625,A,1.0,N,0x1A,E,0,0,0,0,0,0,0,0,0,0,0', /longitude/],
      ['UD,120118,070625,A,1.0,N,10.0,E,1e3,0,0,0,0,0,0,0,0,0,0', /speedKmh/],
      ['UD,120118,070625,A,1.0,N,10.0,E,5000,0,0,0,0,0,0,0,0,0,0', /speedKmh/],
      ['UD,120118,070625,A,1.0,N,10.0,E,5,0,0,0,0,101,0,0,0,0,0', /batteryPercent/],
      ['UD,120118,070625,A,1.0,N,10.0,E,0,0,0,74,0,0,0,0,0,0,0', /satellites is not .* 0\.\.64/],
      ['UD,120118,070625,A,1.0,N,10.0,E,0,0,25000,7,0,0,0,0,0,0,0', /altitudeMeters/],
      ['UD,120118,070625,A,1.0,N,10.0,E,0,0,0,7,0,0,0,-3,0,0,0', /tumbles/],
      ['UD,120118,070625,A,1.0,N,10.0,E,0,0,0,0,0,0,0,0,XYZ,0,0', /status/],
      ['UD,120118,070625,A,1.0,N,10.0,E,0,0,0,0,0,0,0,0,0,99,0', /cell count/],
    ] as const) {
      const result = decodeFrame(encodeFrame(TARGET, content));
      assert.ok(!result.ok, content);
      assert.match(result.reason, reason);
      assert.equal(result.envelope?.deviceId, '8800000015', 'the sender is still known');
    }
  });

  test('the highest readings a watch can make are kept', () => {
    const block = location('UD,120118,070625,A,1.0,N,10.0,E,1000,360,20000,64,100,100,0,0,0,0,0');
    assert.deepEqual(
      [block.speedKmh, block.courseDegrees, block.altitudeMeters, block.satellites],
      [1000, 360, 20_000, 64],
    );
  });

  test('a leap day is a real date', () => {
    const block = location('UD,290224,235959,A,1.0,N,10.0,E,0,0,0,0,0,0,0,0,0,0,0');
    assert.equal(block.recordedAt.toISOString(), '2024-02-29T23:59:59.000Z');
  });
});

describe('other messages', () => {
  test('unknown keywords decode as unknown, not as errors', () => {
    const message = decode('NEWTHING,1,2');
    assert.deepEqual(message, { type: 'unknown', keyword: 'NEWTHING', values: ['1', '2'] });
    const long = 'x'.repeat(3000);
    assert.deepEqual(decode(`NEWTHING,${long},2`), {
      type: 'unknown',
      keyword: 'NEWTHING',
      values: [long, '2'],
    });
    assert.deepEqual(decode('NEWTHING'), { type: 'unknown', keyword: 'NEWTHING', values: [] });
  });

  test('a watch acknowledging MONITOR is flagged as covert listening', () => {
    const message = decode('MONITOR');
    assert.ok(message.type === 'commandAck');
    assert.equal(message.command, 'covertListening');
  });

  test('TK with one byte is the receipt for our voice message, not audio', () => {
    const ok = decode('TK,1');
    assert.ok(ok.type === 'commandAck' && ok.command === 'voiceMessage' && ok.isSuccess === true);
    const failed = decode('TK,0');
    assert.ok(failed.type === 'commandAck' && failed.isSuccess === false);
  });

  test('health readings keep forehead temperatures and decimal SpO2', () => {
    const forehead = decode('btemp2,0,36.10');
    assert.ok(forehead.type === 'bodyTemperature' && forehead.site === 'forehead');
    const oxygen = decode('oxygen,0,97.5');
    assert.ok(oxygen.type === 'bloodOxygen' && oxygen.saturationPercent === 97.5);
  });

  test('call log names are UTF-16BE hex', () => {
    const log = decode('calllog,13800000000,0066007200690065006e00640031,1,1,1700000000,42');
    assert.ok(log.type === 'callLog');
    assert.equal(log.contactName, 'friend1');
    assert.equal(log.direction, 'incoming');
    assert.equal(log.startedAt?.toISOString(), '2023-11-14T22:13:20.000Z');
  });
});

describe('escaping', () => {
  test('round trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const escaped = escapeBinary(bytes);
        for (const forbidden of [0x5b, 0x5d, 0x2c, 0x2a])
          assert.equal(escaped.indexOf(forbidden), -1);
        const back = unescapeBinary(escaped);
        assert.ok(back.ok);
        assert.deepEqual([...back.bytes], [...bytes]);
      }),
    );
  });
});

const validFrames = loadVectors()
  .filter(
    (v) => v.direction === 'up' && !['multi', 'partial', 'resync', 'malformed'].includes(v.kind),
  )
  .map((v) => v.bytes);

function checkDecodes(bytes: Uint8Array): void {
  const result = decodeFrame(Buffer.from(bytes));
  if (result.ok && 'location' in result.frame.message) {
    assertPhysicallySane(result.frame.message.location);
  }
}

describe('decoder properties', () => {
  test('arbitrary bytes never throw', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), checkDecodes), { numRuns: 2000 });
  });

  test('arbitrary bytes in a valid envelope never throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (content) => {
        checkDecodes(Buffer.from(`[3G*8800000015*0000*${content}]`, 'latin1'));
      }),
      { numRuns: 2000 },
    );
  });

  test('mutated real frames never throw, and what decodes is physically sane', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: validFrames.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 6,
        }),
        (pick, edits) => {
          const bytes = Buffer.from(validFrames[pick] as Buffer);
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          checkDecodes(bytes);
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('fields replaced by random text never throw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: validFrames.length - 1 }),
        fc.nat(),
        fc.constantFrom('', '-', '.', '999999999999', '-0', 'NaN', 'ÿÿ', '1e308', ' ', '0x10'),
        (pick, which, replacement) => {
          const text = (validFrames[pick] as Buffer).toString('latin1');
          const fields = text.split(',');
          fields[which % fields.length] = replacement;
          checkDecodes(Buffer.from(fields.join(','), 'latin1'));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('number fields', () => {
  test('padding spaces around numbers are not digits', () => {
    const block = location('UD,120118,070625,A, 1.5 ,N,10.25  ,E,0,0,0,0,0,0,0,0,0,0,0');
    assert.equal(block.latitude, 1.5);
    assert.equal(block.longitude, 10.25);
  });

  test('decimals are exact, as Number() reads them', () => {
    fc.assert(
      fc.property(fc.double({ min: -180, max: 180, noNaN: true }), (value) => {
        const text = value.toFixed(7);
        const block = location(`UD,120118,070625,A,0,N,${text},E,0,0,0,0,0,0,0,0,0,0,0`);
        assert.equal(block.longitude, Number(text));
      }),
    );
  });
});

describe('device time', () => {
  test('every valid DDMMYY HHMMSS reads as the same instant Date.UTC gives', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2099-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (date) => {
          const iso = date.toISOString();
          const ddmmyy = iso.slice(8, 10) + iso.slice(5, 7) + iso.slice(2, 4);
          const hhmmss = iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19);
          const block = location(`UD,${ddmmyy},${hhmmss},A,1.0,N,10.0,E,0,0,0,0,0,0,0,0,0,0,0`);
          assert.equal(block.recordedAt.getTime(), Math.floor(date.getTime() / 1000) * 1000);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
