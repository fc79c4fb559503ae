/**
 * Where a server's CPU time went, from a V8 `.cpuprofile` (written by `--cpu-prof`, e.g. by
 * heartbeat.bench.ts --cpu-prof): self time by function and by source file, and total (self +
 * callees) time of the functions whose file matches `--focus`. Idle time is left out of the
 * shares, so they read as "of the time the process was busy".
 *
 *   node --import tsx bench/gateway/cpu-profile-summary.ts FILE.cpuprofile [--top 30]
 *     [--focus packages/server/src/gateway] [--callers FUNCTION_NAME] [--without A,B]
 *
 * --callers prints the stacks (innermost 8 frames) that spend the most self time in the named
 * function: who calls a hot native or library function. --without leaves out every sample
 * with one of the named functions on its stack (e.g. `executeQuery,prepare` to see the frame
 * path apart from the database work).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { table } from './report.ts';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: number[];
}

interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '30' },
    focus: { type: 'string', default: 'packages/server/src/gateway' },
    callers: { type: 'string' },
    without: { type: 'string', default: '' },
  },
});
const file = positionals[0];
if (file === undefined) {
  console.error('usage: cpu-profile-summary.ts FILE.cpuprofile [--top N] [--focus PATH]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const top = Number(values.top);
const focus = values.focus;

function shortUrl(url: string): string {
  const at = url.indexOf('/packages/');
  if (at >= 0) return url.slice(at + 1);
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + 1);
  return url === '' ? '(native)' : url;
}

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parentOf.set(child, node.id);
const label = (n: ProfileNode) =>
  `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const without = new Set(values.without.split(',').filter((name) => name !== ''));
function isLeftOut(id: number): boolean {
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    if (without.has((byId.get(at) as ProfileNode).callFrame.functionName)) return true;
  }
  return false;
}

/** Microseconds of samples whose leaf is each node. */
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => {
  if (without.size > 0 && isLeftOut(id)) return;
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const isIdle = (n: ProfileNode) => n.callFrame.functionName === '(idle)';
let busyUs = 0;
for (const [id, us] of selfUs) if (!isIdle(byId.get(id) as ProfileNode)) busyUs += us;

function stackOf(id: number): string {
  const frames: string[] = [];
  for (
    let at: number | undefined = id;
    at !== undefined && frames.length < 8;
    at = parentOf.get(at)
  ) {
    const frame = byId.get(at) as ProfileNode;
    frames.push(frame.callFrame.functionName || '(anonymous)');
  }
  return frames.join(' ← ');
}

function add(map: Map<string, number>, key: string, us: number): void {
  map.set(key, (map.get(key) ?? 0) + us);
}

const callers = values.callers;
const selfByStack = new Map<string, number>();
const selfByFunction = new Map<string, number>();
const selfByFile = new Map<string, number>();
const totalByFocused = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id) as ProfileNode;
  if (isIdle(node)) continue;
  add(selfByFunction, label(node), us);
  if (node.callFrame.functionName === callers) add(selfByStack, stackOf(id), us);
  add(selfByFile, shortUrl(node.callFrame.url), us);
  // Total time: count the sample once for every distinct focused function on its stack.
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const frame = byId.get(at) as ProfileNode;
    if (!frame.callFrame.url.includes(focus)) continue;
    const key = label(frame);
    if (!seen.has(key)) add(totalByFocused, key, us);
    seen.add(key);
  }
}

function rows(map: Map<string, number>): string[][] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, us]) => [key, (us / 1000).toFixed(0), `${((us / busyUs) * 100).toFixed(1)} %`]);
}

console.log(`Busy (non-idle) time: ${(busyUs / 1e6).toFixed(2)} s\n`);
console.log(`Self time by function (top ${top})\n`);
console.log(table(['function', 'ms', 'of busy'], rows(selfByFunction)));
console.log(`\nSelf time by file (top ${top})\n`);
console.log(table(['file', 'ms', 'of busy'], rows(selfByFile)));
console.log(`\nTotal time (self + callees) of functions in ${focus}\n`);
console.log(table(['function', 'ms', 'of busy'], rows(totalByFocused)));
if (callers !== undefined) {
  console.log(`\nStacks spending self time in ${callers}\n`);
  console.log(table(['stack (innermost first)', 'ms', 'of busy'], rows(selfByStack)));
}
