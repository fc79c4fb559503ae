import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import type { CellTower, CellTowerRepository } from '@kinwatch/core';
import { SqlCellTowerRepository } from '../adapters/sql/cell-tower.repository.ts';
import { migrateToLatest } from '../adapters/sql/migrations.ts';
import { openDatabase, type SqlDatabase } from '../adapters/sql/open-database.ts';
import { importCells, type ImportProgress } from './import-cells.ts';

const HEADER =
  'radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,averageSignal';

/** A synthetic row: cell `n` of a made-up network, placed on a grid. */
function row(n: number): string {
  const lon = (13 + (n % 100) / 1000).toFixed(6);
  const lat = (52 + Math.floor(n / 100) / 1000).toFixed(6);
  return `GSM,262,42,${100 + (n % 7)},${n},0,${lon},${lat},${500 + n},${1 + (n % 9)},1,1600000000,1700000000,0`;
}

function rows(count: number, from = 0): string[] {
  return Array.from({ length: count }, (_, i) => row(from + i));
}

const BAD_ROWS = [
  'GSM,262,42,100', // too few fields
  row(9_001).replace(/,52\.\d+,/, ',95,'), // latitude out of range
  row(9_002).replace('262,', 'abc,'),
  row(9_003).replace(/13\.\d+,52\.\d+/, '0,0'),
];

describe('import-cells into SQLite', () => {
  let database: SqlDatabase | undefined;
  let dir = '';
  const repository = () => new SqlCellTowerRepository(database?.db ?? assert.fail('no database'));
  const key = (n: number) => ({ mcc: 262, mnc: 42, lac: 100 + (n % 7), cid: n });

  before(async () => {
    database = await openDatabase('sqlite::memory:');
    await migrateToLatest(database);
    dir = await mkdtemp(join(tmpdir(), 'kinwatch-cells-'));
  });
  after(async () => {
    await database?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('a plain CSV with a header and bad rows: good rows stored, bad ones counted by line', async () => {
    const file = join(dir, 'cells.csv');
    const lines = [HEADER, ...rows(3), BAD_ROWS[0], '', row(3), ...BAD_ROWS.slice(1)];
    await writeFile(file, `${lines.join('\r\n')}\r\n`);
    const result = await importCells({ file, repository: repository(), output: null });
    assert.deepEqual(result, {
      imported: 4,
      skipped: 4,
      problems: [
        'line 5: expected 14 fields, found 4',
        'line 8: lat/lon out of range',
        'line 9: mcc is not an integer in range',
        'line 10: no location (0,0)',
      ],
    });
    const stored = await repository().findMany([key(0), key(3), key(9_001)]);
    assert.equal(stored.length, 2);
    const first = stored.find((tower) => tower.cid === 0);
    assert.deepEqual(first, {
      ...key(0),
      radio: 'GSM',
      latitude: 52,
      longitude: 13,
      rangeMeters: 500,
      samples: 1,
      updatedAt: new Date(1_700_000_000_000),
    } satisfies CellTower);
  });

  test('a gzipped file without header is streamed in batches, with progress', async () => {
    const file = join(dir, 'cell_towers.csv.gz');
    const body = [...rows(2_400, 10_000), ...BAD_ROWS].join('\n');
    await writeFile(file, gzipSync(body));
    const progress: ImportProgress[] = [];
    const lines: string[] = [];
    const output = { isTTY: false, write: (text: string) => lines.push(text) };
    const result = await importCells({
      file,
      repository: repository(),
      onProgress: (p) => progress.push(p),
      output,
      progressIntervalMs: 0,
    });
    assert.deepEqual([result.imported, result.skipped], [2_400, 4]);
    assert.deepEqual(
      progress.map((p) => p.imported),
      [1_000, 2_000, 2_400],
    );
    const last = progress.at(-1);
    assert.equal(last?.bytesRead, last?.totalBytes);
    assert.match(lines.at(-1) ?? '', /2400 imported, 4 skipped \(100% read\)/);
    const stored = await repository().findMany([key(10_000), key(12_399), key(12_400)]);
    assert.deepEqual(stored.map((t) => t.cid).sort(), [10_000, 12_399]);
  });

  test('importing the same file twice changes nothing', async () => {
    const file = join(dir, 'again.csv');
    await writeFile(file, rows(5, 20_000).join('\n'));
    await importCells({ file, repository: repository(), output: null });
    const second = await importCells({ file, repository: repository(), output: null });
    assert.equal(second.imported, 5);
    const stored = await repository().findMany(rows(5).map((_, i) => key(20_000 + i)));
    assert.equal(stored.length, 5);
  });

  test('only the first ten problems are described; all are counted', async () => {
    const file = join(dir, 'bad.csv');
    await writeFile(file, Array.from({ length: 25 }, () => 'nonsense').join('\n'));
    const result = await importCells({ file, repository: repository(), output: null });
    assert.deepEqual([result.imported, result.skipped, result.problems.length], [0, 25, 10]);
    assert.match(result.problems[9] ?? '', /^line 10: /);
  });

  test('a progress bar is drawn on a terminal', async () => {
    const file = join(dir, 'tty.csv');
    await writeFile(file, rows(10, 30_000).join('\n'));
    let drawn = '';
    const terminal = {
      isTTY: true,
      columns: 120,
      write: (text: string) => {
        drawn += text;
        return true;
      },
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
      on: () => terminal,
      removeListener: () => terminal,
    };
    await importCells({ file, repository: repository(), output: terminal });
    assert.match(drawn, /cells \|.*\| 100% \| 10 imported, 0 skipped/);
  });

  test('a missing file, a corrupt archive or a failing store reject', async () => {
    const missing = join(dir, 'none.csv');
    await assert.rejects(importCells({ file: missing, repository: repository(), output: null }), {
      code: 'ENOENT',
    });
    const corrupt = join(dir, 'corrupt.csv.gz');
    await writeFile(corrupt, 'not gzip at all');
    await assert.rejects(importCells({ file: corrupt, repository: repository(), output: null }));
    const file = join(dir, 'ok.csv');
    await writeFile(file, rows(3).join('\n'));
    const failing: Pick<CellTowerRepository, 'upsertMany'> = {
      upsertMany: () => Promise.reject(new Error('database is locked')),
    };
    await assert.rejects(
      importCells({ file, repository: failing, output: null }),
      /before line 4 failed: database is locked/,
    );
  });
});
