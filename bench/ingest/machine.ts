/**
 * What the ingest benchmark records about the machine it ran on, and how busy the machine was:
 * absolute rates on a shared 2-vCPU box drift, so each round says what else was running.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { sleep } from './ud-load.ts';

export interface MachineFacts {
  readonly cpu: string;
  readonly cpus: number;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly fdLimit: string;
}

export function machineFacts(): MachineFacts {
  let fdLimit = 'unknown';
  try {
    fdLimit = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
  } catch {
    // Not a POSIX shell: leave it unknown.
  }
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    fdLimit,
  };
}

interface CpuTimes {
  readonly idle: number;
  readonly total: number;
}

function cpuTimes(): CpuTimes | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { idle, total: fields.reduce((sum, value) => sum + value, 0) };
  } catch {
    return undefined;
  }
}

/** Measures how busy the whole machine is between `start()` and `stop()`, 0..1. */
export function busyMeter(): { stop(): number | undefined } {
  const before = cpuTimes();
  return {
    stop: () => {
      const after = cpuTimes();
      if (before === undefined || after === undefined || after.total === before.total) {
        return undefined;
      }
      return 1 - (after.idle - before.idle) / (after.total - before.total);
    },
  };
}

/**
 * Waits, at most `maxWaitMs`, until the machine is at most `maxBusy` busy over one second;
 * returns the last reading, so the report can show how quiet the round started.
 */
export async function quietGate(maxBusy: number, maxWaitMs: number): Promise<number | undefined> {
  const deadline = performance.now() + maxWaitMs;
  for (;;) {
    const meter = busyMeter();
    await sleep(1000);
    const busy = meter.stop();
    if (busy === undefined || busy <= maxBusy || performance.now() > deadline) return busy;
  }
}

/** CPU seconds a process has used (user + system), from /proc; undefined elsewhere. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat(5), counted after the command name: utime and stime in ticks.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100;
  } catch {
    return undefined;
  }
}

/** Pins this process (all its threads) to one CPU with taskset; false when that failed. */
export function pinSelf(cpu: number): boolean {
  try {
    execFileSync('taskset', ['-a', '-cp', String(cpu), String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

/** The q-quantile (0..1) of a list, nearest rank. */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}
