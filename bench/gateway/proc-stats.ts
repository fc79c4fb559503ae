/**
 * Readings from /proc that the gateway benchmarks need: CPU time and resident memory of one
 * process, machine-wide CPU for the quiet gate, and the facts every report records. Linux only.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/** Clock ticks per second of the utime/stime fields (USER_HZ). */
export const TICKS_PER_SECOND = readTicksPerSecond();

function readTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
}

/** CPU seconds (all threads) a process has used so far, in user space and in the kernel. */
export function cpuTimes(pid: number): { readonly user: number; readonly system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    user: Number(fields[11]) / TICKS_PER_SECOND,
    system: Number(fields[12]) / TICKS_PER_SECOND,
  };
}

/** CPU seconds (user + system, all threads) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const { user, system } = cpuTimes(pid);
  return user + system;
}

/** VmRSS of a process, in bytes. */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (match === null) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

interface SystemTicks {
  readonly busy: number;
  readonly total: number;
}

function systemTicks(): SystemTicks {
  const line = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((sum, v) => sum + v, 0);
  // idle + iowait
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

/** CPU used over a window: by the given processes, and by everything else on the machine. */
export interface CpuWindow {
  readonly seconds: number;
  /** CPU seconds per pid over the window. */
  readonly byPid: ReadonlyMap<number, number>;
  /** Share of the whole machine (all cores) used by processes not in the list, 0..1. */
  readonly foreignShare: number;
}

/** Starts measuring; call the returned function to end the window. */
export function startCpuWindow(pids: readonly number[]): () => CpuWindow {
  const startedAt = performance.now();
  const system = systemTicks();
  const own = new Map(pids.map((pid) => [pid, cpuSeconds(pid)]));
  return () => {
    const seconds = (performance.now() - startedAt) / 1000;
    const after = systemTicks();
    const byPid = new Map<number, number>();
    for (const [pid, before] of own) byPid.set(pid, cpuSeconds(pid) - before);
    const ownTicks = [...byPid.values()].reduce((s, v) => s + v, 0) * TICKS_PER_SECOND;
    const totalTicks = Math.max(1, after.total - system.total);
    const foreignTicks = Math.max(0, after.busy - system.busy - ownTicks);
    return { seconds, byPid, foreignShare: foreignTicks / totalTicks };
  };
}

export interface GateReading {
  /** Machine idle share over the last 2 s sample, 0..1. */
  readonly idle: number;
  readonly waitedSeconds: number;
  readonly isQuiet: boolean;
}

/**
 * Waits until the machine is at least `minIdle` idle over 2 s, for at most `maxWaitSeconds`.
 * The box is shared: a gate that times out is recorded, not fatal.
 */
export async function quietGate(minIdle = 0.85, maxWaitSeconds = 20): Promise<GateReading> {
  const startedAt = performance.now();
  for (;;) {
    const before = systemTicks();
    await sleep(2000);
    const after = systemTicks();
    const idle = 1 - (after.busy - before.busy) / Math.max(1, after.total - before.total);
    const waitedSeconds = (performance.now() - startedAt) / 1000;
    if (idle >= minIdle || waitedSeconds >= maxWaitSeconds) {
      return { idle, waitedSeconds, isQuiet: idle >= minIdle };
    }
  }
}

/**
 * Waits until a process uses less than `maxShare` of one core over `windowMs`, for at most
 * `maxSeconds`; resolves with the seconds waited. Used to let a server finish the work a burst
 * of connections queued (database writes) before a reading.
 */
export async function waitUntilIdle(
  pid: number,
  maxShare = 0.05,
  windowMs = 500,
  maxSeconds = 30,
): Promise<number> {
  const startedAt = performance.now();
  for (;;) {
    const before = cpuSeconds(pid);
    await sleep(windowMs);
    const share = (cpuSeconds(pid) - before) / (windowMs / 1000);
    const waited = (performance.now() - startedAt) / 1000;
    if (share < maxShare || waited >= maxSeconds) return waited;
  }
}

/**
 * The kernel's count of connections dropped because a listen queue was full (TcpExt
 * ListenOverflows), machine-wide: a dropped SYN is retried by the client after 1 s, then 3 s.
 */
export function listenOverflows(): number {
  const lines = readFileSync('/proc/net/netstat', 'latin1').split('\n');
  const names = lines.find((l) => l.startsWith('TcpExt:'))?.split(' ') ?? [];
  const values = lines.filter((l) => l.startsWith('TcpExt:'))[1]?.split(' ') ?? [];
  const at = names.indexOf('ListenOverflows');
  return at < 0 ? 0 : Number(values[at]);
}

/**
 * Waits until a process has used less than `maxShare` of a core in every `sampleMs` window for
 * `quietSeconds` in a row (longer than any periodic work of the server, e.g. Kinwatch's 5 s
 * status flush), for at most `maxSeconds`. Resolves with process.hrtime.bigint() at the end
 * of the last busy window: when the server finished its work.
 */
export async function waitUntilQuiet(
  pid: number,
  quietSeconds: number,
  maxSeconds: number,
  maxShare = 0.1,
  sampleMs = 250,
): Promise<bigint> {
  const startedAt = performance.now();
  let lastBusyAt = process.hrtime.bigint();
  let quietSince = performance.now();
  let before = cpuSeconds(pid);
  while (performance.now() - startedAt < maxSeconds * 1000) {
    await sleep(sampleMs);
    const now = cpuSeconds(pid);
    if ((now - before) / (sampleMs / 1000) >= maxShare) {
      lastBusyAt = process.hrtime.bigint();
      quietSince = performance.now();
    } else if (performance.now() - quietSince >= quietSeconds * 1000) {
      break;
    }
    before = now;
  }
  return lastBusyAt;
}

export interface MachineFacts {
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly node: string;
  readonly kernel: string;
  /** Soft RLIMIT_NOFILE of this process (what `ulimit -n` prints in the shell that started it). */
  readonly openFileLimit: number;
  readonly loadAverage: string;
}

export function machineFacts(): MachineFacts {
  const limits = readFileSync('/proc/self/limits', 'latin1');
  const openFiles = /^Max open files\s+(\d+)/m.exec(limits);
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cpuCount: cpus().length,
    node: process.version,
    kernel: release(),
    openFileLimit: Number(openFiles?.[1] ?? 0),
    loadAverage: readFileSync('/proc/loadavg', 'latin1').split(' ').slice(0, 3).join(' '),
  };
}
