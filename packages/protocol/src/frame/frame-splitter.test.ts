import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { loadVectors } from '../testing/vectors.ts';
import { encodeBinaryFrame, encodeFrame } from './envelope.ts';
import { FrameSplitter, type DiscardReason, type FrameSink } from './frame-splitter.ts';

interface Collected {
  frames: string[];
  discards: [DiscardReason, number][];
}

function collector(): Collected & FrameSink {
  const frames: string[] = [];
  const discards: [DiscardReason, number][] = [];
  return {
    frames,
    discards,
    frame: (bytes) => frames.push(bytes.toString('latin1')),
    discard: (reason, count) => discards.push([reason, count]),
  };
}

function feed(chunks: readonly (string | Buffer)[], options = {}, close = true): Collected {
  const splitter = new FrameSplitter(options);
  const sink = collector();
  for (const chunk of chunks)
    splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk, sink);
  if (close) splitter.end(sink);
  return sink;
}

/** Cuts `bytes` at the given offsets (sorted, deduplicated, within range). */
function cut(bytes: Buffer, offsets: readonly number[]): Buffer[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    if (point > from) chunks.push(bytes.subarray(from, point));
    from = Math.max(from, point);
  }
  return chunks;
}

const LK = '[3G*8800000015*0002*LK]';

describe('FrameSplitter', () => {
  test('brackets inside an SSID do not end the frame', () => {
    const frame = encodeFrame(
      { vendor: '3G', deviceId: '8800000015' },
      'UD,010120,025946,V,0.0,N,0.0,E,0,0,0,0,100,98,0,0,00000000,0,1,[LG_Wall-Mount A/C]e725,f4:db:e6:d2:a8:00,-53',
    ).toString('latin1');
    assert.deepEqual(feed([frame]).frames, [frame]);
  });

  test('a frame whose LENGTH is wrong is still cut at its closing bracket', () => {
    const wrong = '[SG*9081000548*0009*LK,0,100]';
    assert.deepEqual(feed([wrong + LK]).frames, [wrong, LK]);
  });

  test('a frame held back because LENGTH promised more is released by flush', () => {
    const longer = '[3G*8800000015*0010*LK,0,0,5]';
    const splitter = new FrameSplitter();
    const sink = collector();
    splitter.push(Buffer.from(longer), sink);
    assert.deepEqual(sink.frames, []);
    assert.equal(splitter.isHoldingFrame, true);
    splitter.flush(sink);
    assert.deepEqual(sink.frames, [longer]);
    assert.equal(splitter.isHoldingFrame, false);
    assert.equal(splitter.bufferedBytes, 0);
  });

  test('a held frame is released at once when the next frame starts', () => {
    const longer = '[3G*8800000015*0010*LK,0,0,5]';
    assert.deepEqual(feed([longer, `\r\n${LK}`], {}, false).frames, [longer, LK]);
  });

  test('an oversize frame is dropped and the stream resynchronises', () => {
    const huge = `[3G*8800000015*FFFF*TK,${'x'.repeat(5000)}`;
    const out = feed([huge, `${'y'.repeat(3000)}]`, LK], { maxFrameBytes: 4096 });
    assert.deepEqual(out.frames, [LK]);
    assert.equal(out.discards[0]?.[0], 'oversize');
  });

  test('memory stays under the cap while a frame never ends', () => {
    const splitter = new FrameSplitter({ maxFrameBytes: 1024 });
    const sink = collector();
    splitter.push(Buffer.from('[3G*8800000015*0400*TK,'), sink);
    for (let i = 0; i < 200; i++) {
      splitter.push(Buffer.alloc(100, 0x41), sink);
      assert.ok(splitter.bufferedBytes <= 1024);
    }
    assert.ok(sink.discards.some(([reason]) => reason === 'oversize'));
  });

  test('escaped binary payloads pass through untouched', () => {
    const payload = Buffer.from([0x7d, 0x5b, 0x5d, 0x2c, 0x2a, 0x00, 0xff]);
    const frame = encodeBinaryFrame({ vendor: 'CS', deviceId: '1234567890' }, 'TK,', payload);
    const out = feed([frame.subarray(0, 9), frame.subarray(9)]);
    assert.deepEqual(out.frames, [frame.toString('latin1')]);
  });

  test('frames handed out stay intact after later pushes', () => {
    const splitter = new FrameSplitter();
    const kept: Buffer[] = [];
    const sink: FrameSink = { frame: (b) => kept.push(b), discard: () => undefined };
    for (let i = 0; i < 50; i++) {
      const frame = `[3G*88000000${String(i).padStart(2, '0')}*0002*LK]`;
      splitter.push(Buffer.from(frame.slice(0, 7)), sink);
      splitter.push(Buffer.from(frame.slice(7)), sink);
    }
    kept.forEach((b, i) => {
      assert.equal(b.toString(), `[3G*88000000${String(i).padStart(2, '0')}*0002*LK]`);
    });
  });

  test('rejects a cap too small to hold a header', () => {
    assert.throws(() => new FrameSplitter({ maxFrameBytes: 4 }), RangeError);
  });
});

const validFrames = loadVectors()
  .filter(
    (v) => v.direction === 'up' && !['multi', 'partial', 'resync', 'malformed'].includes(v.kind),
  )
  .map((v) => v.bytes);

describe('FrameSplitter properties', () => {
  test('arbitrary bytes in arbitrary chunks never throw, hang or grow past the cap', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 4000 }),
        fc.array(fc.nat(4000), { maxLength: 40 }),
        fc.integer({ min: 64, max: 2048 }),
        (bytes, offsets, cap) => {
          const splitter = new FrameSplitter({ maxFrameBytes: cap });
          let emitted = 0;
          const sink: FrameSink = {
            frame: (f) => {
              emitted += f.length;
              assert.ok(f.length <= cap);
            },
            discard: (_reason, count) => {
              emitted += count;
            },
          };
          for (const chunk of cut(Buffer.from(bytes), offsets)) {
            splitter.push(chunk, sink);
            assert.ok(splitter.bufferedBytes <= cap);
          }
          splitter.end(sink);
          assert.equal(splitter.bufferedBytes, 0);
          // Every byte is accounted for exactly once: framed, discarded or (never) lost.
          assert.equal(emitted, bytes.length);
        },
      ),
      { numRuns: 400 },
    );
  });

  test('valid frames survive any chunking, with noise between them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: validFrames.length - 1 }), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.array(fc.constantFrom('', '\r\n', ' ', '\x00\x01'), { minLength: 12, maxLength: 12 }),
        fc.array(fc.nat(20000), { maxLength: 30 }),
        (picks, noise, offsets) => {
          const frames = picks.map((i) => validFrames[i] as Buffer);
          const parts = frames.flatMap((f, i) => [Buffer.from(noise[i] ?? '', 'latin1'), f]);
          const out = feed(cut(Buffer.concat(parts), offsets));
          assert.deepEqual(
            out.frames,
            frames.map((f) => f.toString('latin1')),
          );
          assert.ok(out.discards.every(([reason]) => reason === 'noise'));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a truncated frame never swallows the valid frame after it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: validFrames.length - 1 }),
        fc.integer({ min: 0, max: validFrames.length - 1 }),
        fc.nat(),
        fc.array(fc.nat(20000), { maxLength: 10 }),
        (a, b, cutAt, offsets) => {
          const first = validFrames[a] as Buffer;
          const second = validFrames[b] as Buffer;
          // Keep at least the header so the cut looks like a real interrupted frame.
          const truncated = first.subarray(0, 30 + (cutAt % Math.max(1, first.length - 31)));
          const out = feed(cut(Buffer.concat([truncated, second]), offsets));
          assert.equal(out.frames.at(-1), second.toString('latin1'));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('FrameSplitter and look-alike brackets', () => {
  test('an SSID that looks like the start of a frame does not cut a frame with a right LENGTH', () => {
    const frame = encodeFrame(
      { vendor: '3G', deviceId: '8800000015' },
      'UD,010100,000000,V,0,N,0,E,0,0,0,0,0,0,0,0,00000000,0,1,[aa*1,00:00:00:00:00:01,-1',
    ).toString('latin1');
    assert.deepEqual(feed([frame]).frames, [frame]);
    assert.deepEqual(
      feed(Array.from(Buffer.from(frame, 'latin1'), (b) => Buffer.from([b]))).frames,
      [frame],
    );
  });
});
