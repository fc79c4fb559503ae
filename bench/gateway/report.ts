/** Medians, formatting and the JSON record every gateway benchmark writes to bench/results/. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MachineFacts } from './proc-stats.ts';
import { REPO_ROOT } from './processes.ts';

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** 12,345 */
export function count(value: number): string {
  return Math.round(value).toLocaleString('en');
}

/** Microseconds as milliseconds with 2 decimals. */
export function ms(us: number): string {
  return (us / 1000).toFixed(2);
}

export function ratio(value: number): string {
  return value.toFixed(2);
}

export function ratios(values: readonly number[]): string {
  return values.map(ratio).join(', ');
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function machineLine(facts: MachineFacts): string {
  return (
    `${facts.cpuModel} x${facts.cpuCount}, Node ${facts.node}, kernel ${facts.kernel}, ` +
    `ulimit -n ${facts.openFileLimit}, load average at start ${facts.loadAverage}`
  );
}

/** Writes bench/results/<name>-<timestamp>.json and returns its path. */
export async function writeResults(name: string, data: unknown): Promise<string> {
  const dir = join(REPO_ROOT, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const path = join(dir, `${name}-${stamp}.json`);
  const json = JSON.stringify(
    data,
    (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value),
    2,
  );
  await writeFile(path, `${json}\n`);
  return path;
}

/** Parses `--name value` options with numeric defaults. */
export function numericOptions<T extends Record<string, number>>(defaults: T): T {
  const args = process.argv.slice(2);
  const result: Record<string, number> = { ...defaults };
  for (const key of Object.keys(defaults)) {
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    const at = args.indexOf(flag);
    if (at < 0) continue;
    const value = Number(args[at + 1]);
    if (!Number.isFinite(value)) throw new RangeError(`${flag} needs a number`);
    result[key] = value;
  }
  return result as T;
}

export function hasFlag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}
