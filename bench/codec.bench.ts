/**
 * Codec throughput on one core: frames split from TCP-sized chunks and fully decoded, against a
 * baseline measured in the same run, interleaved: JSON.parse of the same decoded fields written
 * as JSON (native code, the fastest general parser in Node).
 *
 *   npm run bench:codec                 # 5 interleaved rounds of 2 s each, medians
 *   npm run bench:codec -- --soak 60    # memory over a 60 s decode loop (run with --expose-gc)
 *
 * Rates are per second of CPU time of this process (process.cpuUsage), which is single-core
 * throughput and is not inflated when the shared machine schedules other work; each run is
 * bounded by wall time. Prints a markdown table; docs/benchmarks.md records the figures.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  FrameSplitter,
  decodeFrame,
  encodeBinaryFrame,
  encodeFrame,
  type FrameSink,
} from '../packages/protocol/src/index.ts';

const TARGET = { vendor: '3G', deviceId: '8800000015' };
const SEGMENT_BYTES = 1460;

/** The frames of the mix: real shapes, with the ids and places of the test vectors. */
const FRAMES = {
  keepAlive: encodeFrame(TARGET, 'LK,2210,0,87'),
  location: encodeFrame(
    TARGET,
    'UD,220414,134652,A,22.571707,N,113.8613968,E,3.1,142.0,100,7,60,90,1000,50,00000000,' +
      '4,1,460,0,9360,4082,131,9360,4092,148,9360,4091,143,9360,4153,141,' +
      '2,Home2,60:45:cb:cb:34:68,-63,ES4104,22:74:1d:39:64:ff,-71,12.5',
  ),
  alarm: encodeFrame(
    TARGET,
    'AL,220414,134652,A,22.571707,N,113.8613968,E,0.0,0.0,100,7,60,90,1000,50,00010000,' +
      '2,1,460,0,9360,4082,131,9360,4092,148,0,8.0',
  ),
  voice: encodeBinaryFrame(
    TARGET,
    'TK,',
    Buffer.concat([Buffer.from('#!AMR\n'), randomBytes(6000)]),
  ),
};

/** CPU time used by this process so far, in seconds. */
function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** `count` frames back to back, cut into TCP-sized segments. */
function stream(frames: readonly Buffer[], count: number): Buffer[] {
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) parts.push(frames[i % frames.length] as Buffer);
  const all = Buffer.concat(parts);
  const chunks: Buffer[] = [];
  for (let at = 0; at < all.length; at += SEGMENT_BYTES)
    chunks.push(all.subarray(at, at + SEGMENT_BYTES));
  return chunks;
}

interface Rate {
  framesPerSecond: number;
  megabytesPerSecond: number;
}

/** Splits and decodes the chunks repeatedly for `seconds`. */
function runCodec(chunks: readonly Buffer[], seconds: number): Rate {
  let frames = 0;
  let bytes = 0;
  let failures = 0;
  const sink: FrameSink = {
    frame(frame) {
      const result = decodeFrame(frame);
      if (!result.ok) failures++;
      frames++;
      bytes += frame.length;
    },
    discard() {
      failures++;
    },
  };
  const splitter = new FrameSplitter();
  const started = cpuSeconds();
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    for (const chunk of chunks) splitter.push(chunk, sink);
  }
  const elapsed = cpuSeconds() - started;
  if (failures > 0) throw new Error(`${failures} frames failed to decode`);
  return { framesPerSecond: frames / elapsed, megabytesPerSecond: bytes / elapsed / 1e6 };
}

/** Decodes whole frames (no splitting), for `seconds`: the decoder's share of the work. */
function runDecodeOnly(frames: readonly Buffer[], seconds: number): Rate {
  let count = 0;
  let bytes = 0;
  const started = cpuSeconds();
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    for (const frame of frames) {
      if (!decodeFrame(frame).ok) throw new Error('frame failed to decode');
      bytes += frame.length;
    }
    count += frames.length;
  }
  const elapsed = cpuSeconds() - started;
  return { framesPerSecond: count / elapsed, megabytesPerSecond: bytes / elapsed / 1e6 };
}

/** JSON.parse over the JSON of the same decoded messages, for `seconds`. */
function runJsonBaseline(frames: readonly Buffer[], seconds: number): Rate {
  const texts = frames.map((frame) => {
    const result = decodeFrame(frame);
    if (!result.ok) throw new Error(result.reason);
    return JSON.stringify(result.frame.message);
  });
  let count = 0;
  let bytes = 0;
  let sink = 0;
  const started = cpuSeconds();
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    for (const text of texts) {
      sink += (JSON.parse(text) as { keyword: string }).keyword.length;
      bytes += text.length;
    }
    count += texts.length;
  }
  const elapsed = cpuSeconds() - started;
  if (sink === 0) throw new Error('baseline did no work');
  return { framesPerSecond: count / elapsed, megabytesPerSecond: bytes / elapsed / 1e6 };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

interface Scenario {
  name: string;
  frames: Buffer[];
}

const SCENARIOS: Scenario[] = [
  { name: 'location report (UD, 4 cells, 2 Wi-Fi)', frames: [FRAMES.location] },
  {
    name: 'mix (8 LK : 8 UD : 1 AL : 1 voice 6 KB)',
    frames: [
      ...Array<Buffer>(8).fill(FRAMES.keepAlive),
      ...Array<Buffer>(8).fill(FRAMES.location),
      FRAMES.alarm,
      FRAMES.voice,
    ].sort(() => 0),
  },
];

function benchmark(rounds: number, seconds: number): void {
  console.log(`Node ${process.version}, ${rounds} interleaved rounds of ${seconds} s, medians`);
  console.log('Rates per CPU-second of one core.\n');
  console.log(
    '| scenario | codec frames/s | codec MB/s | decode only frames/s | JSON.parse frames/s | ratio codec ÷ JSON.parse | ratio decode only ÷ JSON.parse |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const scenario of SCENARIOS) {
    const chunks = stream(scenario.frames, 2000);
    runCodec(chunks, 0.5);
    runDecodeOnly(scenario.frames, 0.5);
    runJsonBaseline(scenario.frames, 0.5);
    const codec: Rate[] = [];
    const decodeOnly: Rate[] = [];
    const json: Rate[] = [];
    const ratios: number[] = [];
    const decodeRatios: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const c = runCodec(chunks, seconds);
      const d = runDecodeOnly(scenario.frames, seconds);
      const j = runJsonBaseline(scenario.frames, seconds);
      codec.push(c);
      decodeOnly.push(d);
      json.push(j);
      ratios.push(c.framesPerSecond / j.framesPerSecond);
      decodeRatios.push(d.framesPerSecond / j.framesPerSecond);
    }
    const cell = (rates: Rate[]): string =>
      Math.round(median(rates.map((r) => r.framesPerSecond))).toLocaleString('en');
    const list = (values: number[]): string => values.map((r) => r.toFixed(2)).join(', ');
    console.log(
      `| ${scenario.name} | ${cell(codec)} | ${median(codec.map((r) => r.megabytesPerSecond)).toFixed(1)} | ` +
        `${cell(decodeOnly)} | ${cell(json)} | ${median(ratios).toFixed(2)} (rounds: ${list(ratios)}) | ` +
        `${median(decodeRatios).toFixed(2)} (rounds: ${list(decodeRatios)}) |`,
    );
  }
}

function soak(seconds: number): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc for the memory soak');
  const chunks = stream(SCENARIOS[1]?.frames ?? [], 2000);
  const samples: { second: number; heapMb: number; rssMb: number }[] = [];
  const started = performance.now();
  for (let second = 0; second < seconds; second += 5) {
    runCodec(chunks, 5);
    gc();
    const memory = process.memoryUsage();
    samples.push({
      second: Math.round((performance.now() - started) / 1000),
      heapMb: memory.heapUsed / 1e6,
      rssMb: memory.rss / 1e6,
    });
  }
  console.log('| after s | heap used MB | RSS MB |\n|---|---|---|');
  for (const s of samples)
    console.log(`| ${s.second} | ${s.heapMb.toFixed(1)} | ${s.rssMb.toFixed(1)} |`);
  const first = samples[1] ?? samples[0];
  const last = samples.at(-1);
  if (first !== undefined && last !== undefined) {
    console.log(
      `\nheap growth from ${first.second} s to ${last.second} s: ${(last.heapMb - first.heapMb).toFixed(2)} MB`,
    );
  }
}

const args = process.argv.slice(2);
const soakAt = args.indexOf('--soak');
if (soakAt >= 0) {
  soak(Number(args[soakAt + 1] ?? 60));
} else {
  const rounds = Number(args[args.indexOf('--rounds') + 1] ?? 5) || 5;
  const seconds = Number(args[args.indexOf('--seconds') + 1] ?? 2) || 2;
  benchmark(rounds, seconds);
}
