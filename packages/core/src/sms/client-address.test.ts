import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressLimitKey } from './client-address.ts';

test('IPv4 addresses count one by one', () => {
  assert.equal(addressLimitKey('203.0.113.7'), '203.0.113.7');
  assert.equal(addressLimitKey(' 203.0.113.7 '), '203.0.113.7');
});

test('IPv6 addresses count by their /64, however they are written', () => {
  const key = '2001:db8:0:1::/64';
  for (const address of [
    '2001:db8:0:1::1',
    '2001:0DB8:0000:0001:aaaa:bbbb:cccc:dddd',
    '2001:db8::1:0:0:0:1',
    '2001:db8:0:1:1:2:3.4.5.6',
    '2001:db8:0:1::1%eth0',
  ]) {
    assert.equal(addressLimitKey(address), key, address);
  }
  assert.equal(addressLimitKey('2001:db8:0:2::1'), '2001:db8:0:2::/64');
  assert.equal(addressLimitKey('::1'), '0:0:0:0::/64');
  assert.equal(addressLimitKey('::'), '0:0:0:0::/64');
});

test('IPv4-mapped IPv6 addresses count as the IPv4 address', () => {
  assert.equal(addressLimitKey('::ffff:198.51.100.1'), '198.51.100.1');
  assert.equal(addressLimitKey('::ffff:c633:6401'), '198.51.100.1');
});

test('text that is no address counts against itself', () => {
  for (const text of ['unknown', '1::2::3', '2001:db8:0:1:2:3:4:5:6', '12345::1', 'x:y']) {
    assert.equal(addressLimitKey(text), text.toLowerCase(), text);
  }
});
