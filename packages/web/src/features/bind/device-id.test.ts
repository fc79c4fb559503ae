import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cleanTypedDeviceId, deviceIdFromCode, isDeviceId, isLuhnValid } from './device-id.ts';

// 490154203237518 is the IMEI example of the GSMA (check digit valid); 3520990017614823 has 16.
describe('isDeviceId', () => {
  test('takes 10 to 15 digits only', () => {
    assert.equal(isDeviceId('1234567890'), true);
    assert.equal(isDeviceId('490154203237518'), true);
    assert.equal(isDeviceId('123456789'), false);
    assert.equal(isDeviceId('3520990017614823'), false);
    assert.equal(isDeviceId('12345abc90'), false);
    assert.equal(isDeviceId(''), false);
  });

  test('typed ids lose the spaces and dashes of copying', () => {
    assert.equal(cleanTypedDeviceId(' 4901 5420-3237 518 '), '490154203237518');
  });

  test('the IMEI check digit', () => {
    assert.equal(isLuhnValid('490154203237518'), true);
    assert.equal(isLuhnValid('490154203237519'), false);
  });
});

describe('deviceIdFromCode', () => {
  test('plain digits', () => {
    assert.equal(deviceIdFromCode('8800123456'), '8800123456');
    assert.equal(deviceIdFromCode('  490154203237518\n'), '490154203237518');
  });

  test('a URL with the id in a query parameter among others', () => {
    assert.equal(
      deviceIdFromCode('https://app.example.com/bind?t=1700000000&imei=490154203237518&v=2'),
      '490154203237518',
    );
    assert.equal(
      deviceIdFromCode('http://example.cn/d?ts=1700000000123&deviceId=8800123456'),
      '8800123456',
    );
  });

  test('a URL with the id as a path segment or URL-encoded', () => {
    assert.equal(deviceIdFromCode('https://example.com/w/490154203237518'), '490154203237518');
    assert.equal(
      deviceIdFromCode('https://example.com/x?data=IMEI%3A490154203237518'),
      '490154203237518',
    );
  });

  test('text with other numbers: the labelled one wins over a phone number', () => {
    assert.equal(
      deviceIdFromCode('Model Q50 2024\nTel: 13800138000\nIMEI: 490154203237518'),
      '490154203237518',
    );
    assert.equal(deviceIdFromCode('手机 13800138000 设备号：8800123456'), '8800123456');
    assert.equal(deviceIdFromCode('ID:8800123456 SN:12345'), '8800123456');
  });

  test('unlabelled: a valid IMEI wins over another long number', () => {
    assert.equal(deviceIdFromCode('13800138000 490154203237518'), '490154203237518');
  });

  test('nothing to go on: no answer rather than a guess', () => {
    assert.equal(deviceIdFromCode('13800138000 13900139000'), null);
    assert.equal(deviceIdFromCode('https://example.com/download/app'), null);
    assert.equal(deviceIdFromCode('12345'), null);
    assert.equal(deviceIdFromCode('35209900176148231234'), null);
  });
});
