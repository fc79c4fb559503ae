import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { CellTower, CellTowerRepository } from '@kinwatch/core';
import cliProgress from 'cli-progress';
import { isOpenCellIdHeader, parseOpenCellIdRow } from './opencellid-row.ts';

/** Rows per `upsertMany`: one transaction each. */
export const DEFAULT_IMPORT_BATCH_ROWS = 1_000;
/** Bad rows described in the result; later ones are only counted. */
export const MAX_REPORTED_PROBLEMS = 10;
/** Longer lines are not cell rows; cut them so that a file without newlines cannot fill memory. */
const MAX_LINE_CHARS = 4_096;

export interface ImportProgress {
  /** Bytes of the file read so far (compressed bytes for .gz), and its size. */
  readonly bytesRead: number;
  readonly totalBytes: number;
  readonly imported: number;
  readonly skipped: number;
}

export interface ImportCellsResult {
  /** Rows stored (a cell present twice in the file counts twice; the later row wins). */
  readonly imported: number;
  /** Bad rows left out. */
  readonly skipped: number;
  /** The first `MAX_REPORTED_PROBLEMS` bad rows, as `line N: reason`. */
  readonly problems: readonly string[];
}

/** Where progress is drawn: a bar on a TTY, a plain line now and then otherwise. */
export interface ProgressOutput {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export interface ImportCellsOptions {
  /** An OpenCelliD-format CSV; gunzipped when the name ends in `.gz`. The header is optional. */
  readonly file: string;
  readonly repository: Pick<CellTowerRepository, 'upsertMany'>;
  /** Called after each stored batch and once at the end. */
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Default process.stderr; null shows nothing. */
  readonly output?: ProgressOutput | null;
  /** Default `DEFAULT_IMPORT_BATCH_ROWS`. */
  readonly batchRows?: number;
  /** Time between plain progress lines when `output` is not a TTY, ms. Default 10,000. */
  readonly progressIntervalMs?: number;
}

/**
 * Streams the file into the cell table in batches, so files of any size import in constant
 * memory; importing the same file again changes nothing. Rejects when the file cannot be read
 * or decompressed, or a batch cannot be stored: the batches stored before remain.
 */
export async function importCells(options: ImportCellsOptions): Promise<ImportCellsResult> {
  const batchRows = options.batchRows ?? DEFAULT_IMPORT_BATCH_ROWS;
  if (!(Number.isSafeInteger(batchRows) && batchRows > 0)) {
    throw new RangeError('batchRows must be a positive integer');
  }
  const totalBytes = (await stat(options.file)).size;
  const raw = createReadStream(options.file);
  const display = createDisplay(options, totalBytes);
  const counts: Counts = { imported: 0, skipped: 0, problems: [] };
  const store = async (batch: readonly CellTower[], beforeLine: number) => {
    await storeBatch(options.repository, batch, beforeLine);
    counts.imported += batch.length;
    const progress = { bytesRead: raw.bytesRead, totalBytes, ...counts };
    options.onProgress?.(progress);
    display.update(progress);
  };
  try {
    const input = /\.gz$/i.test(options.file) ? decompressed(raw) : raw;
    await importLines(linesOf(input), batchRows, counts, store);
  } finally {
    raw.destroy();
    display.stop();
  }
  return { imported: counts.imported, skipped: counts.skipped, problems: counts.problems };
}

interface Counts {
  imported: number;
  skipped: number;
  readonly problems: string[];
}

/** Parses the lines, counts the bad ones, and hands the good ones to `store` in batches. */
async function importLines(
  lines: AsyncIterable<string>,
  batchRows: number,
  counts: Counts,
  store: (batch: readonly CellTower[], beforeLine: number) => Promise<void>,
): Promise<void> {
  let batch: CellTower[] = [];
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    const row = parseLine(line, lineNumber);
    if (typeof row === 'string') {
      counts.skipped += 1;
      if (counts.problems.length < MAX_REPORTED_PROBLEMS) counts.problems.push(row);
    } else if (row !== undefined) {
      batch.push(row);
      if (batch.length >= batchRows) {
        await store(batch, lineNumber + 1);
        batch = [];
      }
    }
  }
  await store(batch, lineNumber + 1);
}

/** A tower, a problem (`line N: reason`), or undefined for lines that are not data. */
function parseLine(line: string, lineNumber: number): CellTower | string | undefined {
  if (line.trim() === '') return undefined;
  if (lineNumber === 1 && isOpenCellIdHeader(line)) return undefined;
  const row = parseOpenCellIdRow(line);
  return typeof row === 'string' ? `line ${lineNumber}: ${row}` : row;
}

async function storeBatch(
  repository: Pick<CellTowerRepository, 'upsertMany'>,
  batch: readonly CellTower[],
  beforeLine: number,
): Promise<void> {
  if (batch.length === 0) return;
  try {
    await repository.upsertMany(batch);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`storing the cells before line ${beforeLine} failed: ${reason}`, {
      cause: error,
    });
  }
}

/** The gunzipped stream; a read error of the file surfaces from it too. */
function decompressed(raw: Readable): Readable {
  return pipeline(raw, createGunzip(), () => {
    // Errors reach the consumer through the destroyed gunzip stream.
  });
}

/** UTF-8 lines without their `\n` or `\r\n`, pulled as they are consumed. */
async function* linesOf(input: Readable): AsyncGenerator<string> {
  input.setEncoding('utf8');
  let rest = '';
  for await (const chunk of input as AsyncIterable<string>) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) yield line.endsWith('\r') ? line.slice(0, -1) : line;
    if (rest.length > MAX_LINE_CHARS) {
      yield rest;
      rest = '';
    }
  }
  if (rest !== '') yield rest;
}

interface Display {
  update(progress: ImportProgress): void;
  stop(): void;
}

function createDisplay(options: ImportCellsOptions, totalBytes: number): Display {
  const output = options.output === undefined ? process.stderr : options.output;
  if (output === null) return { update: () => undefined, stop: () => undefined };
  return output.isTTY === true
    ? barDisplay(output as NodeJS.WritableStream, totalBytes)
    : lineDisplay(output, options.progressIntervalMs ?? 10_000);
}

function barDisplay(stream: NodeJS.WritableStream, totalBytes: number): Display {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format:
        'cells |{bar}| {percentage}% | {imported} imported, {skipped} skipped | ETA {eta_formatted}',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.max(totalBytes, 1), 0, { imported: 0, skipped: 0 });
  return {
    update: (p) => {
      bar.update(p.bytesRead, { imported: p.imported, skipped: p.skipped });
    },
    stop: () => {
      bar.stop();
    },
  };
}

function lineDisplay(output: ProgressOutput, intervalMs: number): Display {
  let last: ImportProgress | undefined;
  let shownAt = performance.now();
  const show = (p: ImportProgress) => {
    const percent = p.totalBytes === 0 ? 100 : Math.floor((100 * p.bytesRead) / p.totalBytes);
    output.write(`import-cells: ${p.imported} imported, ${p.skipped} skipped (${percent}% read)\n`);
  };
  return {
    update: (p) => {
      last = p;
      if (performance.now() - shownAt < intervalMs) return;
      shownAt = performance.now();
      show(p);
    },
    stop: () => {
      if (last !== undefined) show(last);
    },
  };
}
