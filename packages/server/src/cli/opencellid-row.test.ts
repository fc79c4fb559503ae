import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isOpenCellIdHeader, parseOpenCellIdRow } from './opencellid-row.ts';

const ROW = 'LTE,262,2,801,135428353,0,13.285512,52.522202,1000,7,1,1282569574,1300155341,-85';

test('a row becomes a tower, keyed and dated as the file says', () => {
  assert.deepEqual(parseOpenCellIdRow(ROW), {
    mcc: 262,
    mnc: 2,
    lac: 801,
    cid: 135_428_353,
    radio: 'LTE',
    latitude: 52.522202,
    longitude: 13.285512,
    rangeMeters: 1000,
    samples: 7,
    updatedAt: new Date(1_300_155_341_000),
  });
});

test('older exports without averageSignal, an empty radio and a missing update time pass', () => {
  const row = parseOpenCellIdRow(',262,2,801,1,0,13.2,52.5,0,1,1,1282569574,');
  assert.ok(typeof row !== 'string');
  assert.equal(row.radio, null);
  assert.equal(row.updatedAt.getTime(), 1_282_569_574_000);
  assert.equal(row.rangeMeters, 0);
  const nr = parseOpenCellIdRow('nr,262,2,16777215,68719476735,0,-13.2,-52.5,50,1,1,1,2,0');
  assert.ok(typeof nr !== 'string');
  assert.deepEqual([nr.radio, nr.cid, nr.lac], ['NR', 68_719_476_735, 16_777_215]);
});

test('each kind of bad row gets its reason', () => {
  const cases: [string, RegExp][] = [
    ['LTE,262,2,801', /expected 14 fields, found 4/],
    [ROW.replace('262,', 'abc,'), /mcc/],
    [ROW.replace('262,', '1262,'), /mcc/],
    [ROW.replace(',2,801,', ',-2,801,'), /net/],
    [ROW.replace(',801,', ',,'), /area/],
    [ROW.replace('135428353', '99999999999999'), /cell/],
    [ROW.replace('52.522202', '95'), /lat\/lon/],
    [ROW.replace('13.285512', 'east'), /lat\/lon/],
    [ROW.replace('13.285512,52.522202', '0,0'), /0,0/],
    [ROW.replace(',1000,', ',-5,'), /range/],
    [ROW.replace(',7,', ',7.5,'), /samples/],
    [ROW.replace('1282569574,1300155341', 'x,y'), /Unix time/],
    [ROW.replace('LTE', 'L TE;'), /radio/],
  ];
  for (const [line, reason] of cases) {
    const result = parseOpenCellIdRow(line);
    assert.equal(typeof result, 'string', line);
    assert.match(result as string, reason, line);
  }
});

test('the header is recognised, with or without a byte-order mark', () => {
  const header =
    'radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,averageSignal';
  assert.equal(isOpenCellIdHeader(header), true);
  assert.equal(isOpenCellIdHeader(`\uFEFF${header}`), true);
  assert.equal(isOpenCellIdHeader(ROW), false);
});
