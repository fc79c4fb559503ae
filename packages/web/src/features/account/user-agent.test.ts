import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeUserAgent } from './user-agent.ts';

describe('describeUserAgent', () => {
  test('Chrome on Android', () => {
    const ua =
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
    assert.deepEqual(describeUserAgent(ua), {
      browser: 'Chrome',
      system: 'Android',
      isMobile: true,
    });
  });

  test('Safari on iPhone, not Chrome', () => {
    const ua =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
    assert.deepEqual(describeUserAgent(ua), {
      browser: 'Safari',
      system: 'iPhone',
      isMobile: true,
    });
  });

  test('Edge on Windows, not Chrome', () => {
    const ua =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0';
    assert.deepEqual(describeUserAgent(ua), {
      browser: 'Edge',
      system: 'Windows',
      isMobile: false,
    });
  });

  test('Firefox on macOS', () => {
    const ua =
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0';
    assert.deepEqual(describeUserAgent(ua), {
      browser: 'Firefox',
      system: 'macOS',
      isMobile: false,
    });
  });

  test('WeChat on Android', () => {
    const ua =
      'Mozilla/5.0 (Linux; Android 13; V2227A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F30)';
    assert.equal(describeUserAgent(ua).browser, 'WeChat');
  });

  test('an empty or unknown header names nothing', () => {
    assert.deepEqual(describeUserAgent(''), { browser: null, system: null, isMobile: false });
    assert.deepEqual(describeUserAgent('something/1.0'), {
      browser: null,
      system: null,
      isMobile: false,
    });
  });
});

test('headless Chrome is still Chrome', () => {
  const ua =
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36';
  assert.deepEqual(describeUserAgent(ua), { browser: 'Chrome', system: 'Linux', isMobile: false });
});
