import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { alertSentence, formatAccuracy, formatCoordinates } from './alert-text.ts';

const time = (iso: string) => `at ${iso.slice(11, 16)}`;

describe('alert sentences', () => {
  test('each kind names the child and its details', () => {
    assert.deepEqual(alertSentence({ kind: 'sos', details: {} }, 'Mia', time), {
      icon: '🆘',
      tone: 'danger',
      key: 'kind.sos',
      values: { name: 'Mia' },
    });
    const zone = alertSentence({ kind: 'zoneEnter', details: { zoneName: 'School' } }, 'Mia', time);
    assert.equal(zone.key, 'kind.zoneEnterNamed');
    assert.deepEqual(zone.values, { name: 'Mia', zone: 'School' });
    const battery = alertSentence(
      { kind: 'lowBattery', details: { batteryPercent: 12 } },
      'Mia',
      time,
    );
    assert.deepEqual([battery.key, battery.values['percent']], ['kind.lowBatteryPercent', 12]);
    const offline = alertSentence({ kind: 'offline', details: { minutesSilent: 35 } }, 'Mia', time);
    assert.deepEqual([offline.key, offline.values['count']], ['kind.offlineMinutes', 35]);
  });

  test('an expectation names the zone and the time it ended', () => {
    const missed = alertSentence(
      {
        kind: 'expectationMissed',
        details: { zoneName: 'School', windowEnd: '2026-05-04T08:15:00.000Z' },
      },
      'Mia',
      time,
    );
    assert.equal(missed.key, 'kind.expectationMissedAt');
    assert.deepEqual(missed.values, { name: 'Mia', zone: 'School', time: 'at 08:15' });
  });

  test('missing details fall back to the plain sentence; an unknown kind is still shown', () => {
    assert.equal(
      alertSentence({ kind: 'zoneLeave', details: { zoneName: ' ' } }, 'Mia', time).key,
      'kind.zoneLeave',
    );
    assert.equal(
      alertSentence({ kind: 'lowBattery', details: { batteryPercent: null } }, 'Mia', time).key,
      'kind.lowBattery',
    );
    const unknown = alertSentence({ kind: 'tooHot', details: {} }, 'Mia', time);
    assert.deepEqual([unknown.key, unknown.values['kind']], ['kind.unknown', 'tooHot']);
  });

  test('accuracy and coordinates', () => {
    assert.equal(formatAccuracy(8.4, 'en-GB'), '±8 m');
    assert.equal(formatAccuracy(1234, 'en-GB'), '±1.2 km');
    assert.equal(formatCoordinates(47.376887, 8.541694), '47.37689, 8.54169');
  });
});
