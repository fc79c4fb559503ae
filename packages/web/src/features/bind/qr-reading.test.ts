import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_FRAME_SIDE_PX, readingOf, scaledFrameSize } from './qr-reading.ts';

describe('scaledFrameSize', () => {
  test('leaves frames that fit as they are', () => {
    assert.deepEqual(scaledFrameSize(640, 480), { width: 640, height: 480 });
    assert.deepEqual(scaledFrameSize(320, 240), { width: 320, height: 240 });
  });

  test('shrinks the longest side to the limit and keeps the shape', () => {
    assert.deepEqual(scaledFrameSize(1280, 720), { width: 640, height: 360 });
    assert.deepEqual(scaledFrameSize(1080, 1920), { width: 360, height: 640 });
    assert.deepEqual(scaledFrameSize(4032, 3024), { width: 640, height: 480 });
  });

  test('never shrinks a side to nothing', () => {
    assert.deepEqual(scaledFrameSize(5000, 2), { width: MAX_FRAME_SIDE_PX, height: 1 });
  });

  test('a video without a frame yet stays empty', () => {
    assert.deepEqual(scaledFrameSize(0, 0), { width: 0, height: 0 });
  });

  test('takes another limit', () => {
    assert.deepEqual(scaledFrameSize(1000, 500, 100), { width: 100, height: 50 });
  });
});

describe('readingOf', () => {
  test('nothing in view', () => {
    assert.deepEqual(readingOf([]), { deviceId: null, hasForeignCode: false });
  });

  test('a watch code gives its id', () => {
    assert.deepEqual(readingOf(['IMEI:490154203237518']), {
      deviceId: '490154203237518',
      hasForeignCode: false,
    });
    assert.deepEqual(readingOf(['8800123456']), { deviceId: '8800123456', hasForeignCode: false });
  });

  test('a code without a watch id is foreign', () => {
    assert.deepEqual(readingOf(['https://example.com/shop']), {
      deviceId: null,
      hasForeignCode: true,
    });
  });

  test('a watch code next to a foreign one still gives the id', () => {
    assert.deepEqual(readingOf(['WIFI:S:home;T:WPA;P:secret;;', 'device=8800123456']), {
      deviceId: '8800123456',
      hasForeignCode: true,
    });
  });
});
