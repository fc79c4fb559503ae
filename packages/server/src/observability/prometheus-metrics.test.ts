import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { registerProcessMetrics } from './process-metrics.ts';
import { PrometheusMetrics } from './prometheus-metrics.ts';

interface ParsedSample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

interface Parsed {
  readonly help: Map<string, string>;
  readonly types: Map<string, string>;
  readonly samples: ParsedSample[];
}

/** A reader of the text format, written from its specification, to check what we render. */
function parseExposition(text: string): Parsed {
  assert.ok(text === '' || text.endsWith('\n'), 'the exposition ends with a line feed');
  const parsed: Parsed = { help: new Map(), types: new Map(), samples: [] };
  for (const line of text.split('\n').filter((l) => l !== '')) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta !== null) {
      const [, kind = '', name = '', rest = ''] = meta;
      if (kind === 'HELP')
        parsed.help.set(
          name,
          rest.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c)),
        );
      else parsed.types.set(name, rest);
      continue;
    }
    parsed.samples.push(parseSample(line));
  }
  return parsed;
}

function parseSample(line: string): ParsedSample {
  const head = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
  assert.ok(head?.[1], `sample line: ${line}`);
  const name = head[1];
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    rest = rest.slice(1);
    while (!rest.startsWith('}')) {
      const pair = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/.exec(rest);
      assert.ok(pair?.[1] !== undefined && pair[2] !== undefined, `labels in: ${line}`);
      labels[pair[1]] = pair[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      rest = rest.slice(pair[0].length);
    }
    rest = rest.slice(1);
  }
  const valueText = /^ (\S+)$/.exec(rest)?.[1];
  assert.ok(valueText !== undefined, `value in: ${line}`);
  const value =
    valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : Number(valueText);
  return { name, labels, value };
}

function valueOf(
  parsed: Parsed,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return parsed.samples.find(
    (s) => s.name === name && JSON.stringify(sorted(s.labels)) === JSON.stringify(sorted(labels)),
  )?.value;
}

function sorted(labels: Record<string, string>): [string, string][] {
  return Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
}

describe('PrometheusMetrics', () => {
  test('counters add up per label set, whatever the order the labels are written in', () => {
    const metrics = new PrometheusMetrics();
    const frames = metrics.counter('kinwatch_frames_total', 'Frames received.');
    frames.inc({ type: 'linkKeepAlive', vendor: '3G' });
    frames.inc({ vendor: '3G', type: 'linkKeepAlive' }, 2);
    frames.inc({ type: 'locationReport', vendor: '3G' });
    frames.inc();
    const parsed = parseExposition(metrics.render());
    assert.equal(parsed.types.get('kinwatch_frames_total'), 'counter');
    assert.equal(parsed.help.get('kinwatch_frames_total'), 'Frames received.');
    assert.equal(
      valueOf(parsed, 'kinwatch_frames_total', { type: 'linkKeepAlive', vendor: '3G' }),
      3,
    );
    assert.equal(
      valueOf(parsed, 'kinwatch_frames_total', { type: 'locationReport', vendor: '3G' }),
      1,
    );
    assert.equal(valueOf(parsed, 'kinwatch_frames_total'), 1);
    assert.equal(parsed.samples.length, 3);
  });

  test('a frozen label set counts in the same series as an equal plain one, and is checked', () => {
    const metrics = new PrometheusMetrics();
    const positions = metrics.counter('kinwatch_positions_total', 'Positions.');
    const gps = Object.freeze({ source: 'gps', buffered: 'false' });
    positions.inc(gps);
    positions.inc(gps, 2);
    positions.inc({ buffered: 'false', source: 'gps' });
    positions.inc(Object.freeze({ source: 'wifi', buffered: 'false' }));
    const parsed = parseExposition(metrics.render());
    assert.equal(
      valueOf(parsed, 'kinwatch_positions_total', { source: 'gps', buffered: 'false' }),
      4,
    );
    assert.equal(
      valueOf(parsed, 'kinwatch_positions_total', { source: 'wifi', buffered: 'false' }),
      1,
    );
    assert.equal(parsed.samples.length, 2);
    const bad = Object.freeze({ 'not a name': 'x' });
    assert.throws(() => {
      positions.inc(bad);
    }, /not a usable label name/);
    assert.throws(
      () => {
        positions.inc(bad);
      },
      /not a usable label name/,
      'refused every time',
    );
  });

  test('a counter refuses to go down', () => {
    const counter = new PrometheusMetrics().counter('c_total', 'c');
    assert.throws(() => {
      counter.inc(undefined, -1);
    }, RangeError);
    assert.throws(() => {
      counter.inc(undefined, Number.NaN);
    }, RangeError);
  });

  test('gauges set, go up and down', () => {
    const metrics = new PrometheusMetrics();
    const connections = metrics.gauge('kinwatch_connections', 'Open watch connections.');
    connections.set(10);
    connections.inc();
    connections.dec(undefined, 3);
    connections.set(0.25, { state: 'unknown' });
    connections.set(Number.POSITIVE_INFINITY, { state: 'weird' });
    const parsed = parseExposition(metrics.render());
    assert.equal(parsed.types.get('kinwatch_connections'), 'gauge');
    assert.equal(valueOf(parsed, 'kinwatch_connections'), 8);
    assert.equal(valueOf(parsed, 'kinwatch_connections', { state: 'unknown' }), 0.25);
    assert.equal(valueOf(parsed, 'kinwatch_connections', { state: 'weird' }), Infinity);
  });

  test('histograms render cumulative _bucket{le}, +Inf, _sum and _count', () => {
    const metrics = new PrometheusMetrics();
    const latency = metrics.histogram(
      'kinwatch_reply_seconds',
      'Reply latency.',
      [0.001, 0.01, 0.1],
    );
    for (const value of [0.0005, 0.001, 0.005, 0.05, 0.5, 2])
      latency.observe(value, { type: 'lk' });
    const parsed = parseExposition(metrics.render());
    assert.equal(parsed.types.get('kinwatch_reply_seconds'), 'histogram');
    const bucket = (le: string) =>
      valueOf(parsed, 'kinwatch_reply_seconds_bucket', { type: 'lk', le });
    // 0.001 is counted in le="0.001": a bucket's bound is inclusive.
    assert.equal(bucket('0.001'), 2);
    assert.equal(bucket('0.01'), 3);
    assert.equal(bucket('0.1'), 4);
    assert.equal(bucket('+Inf'), 6);
    assert.equal(valueOf(parsed, 'kinwatch_reply_seconds_count', { type: 'lk' }), 6);
    const sum = valueOf(parsed, 'kinwatch_reply_seconds_sum', { type: 'lk' }) ?? Number.NaN;
    assert.ok(Math.abs(sum - 2.5565) < 1e-9, String(sum));
  });

  test('histogram buckets must increase, and le is reserved', () => {
    const metrics = new PrometheusMetrics();
    assert.throws(() => metrics.histogram('h1', 'h', [1, 1]), /strictly increasing/);
    assert.throws(() => metrics.histogram('h2', 'h', [1, Number.NaN]), /finite/);
    const histogram = metrics.histogram('h3', 'h', [1, Number.POSITIVE_INFINITY]);
    assert.throws(() => {
      histogram.observe(1, { le: '1' });
    }, /label name/);
    assert.throws(() => {
      histogram.observe(Number.NaN);
    }, RangeError);
  });

  test('label values are escaped and read back intact', () => {
    const metrics = new PrometheusMetrics();
    const tricky = 'a "quoted" back\\slash\nnew line, {braces}=';
    metrics
      .counter('escaped_total', 'Help with a back\\slash\nand a line feed.')
      .inc({ reason: tricky });
    const text = metrics.render();
    assert.equal(text.split('\n').length, 4, 'no raw line feed inside a line');
    const parsed = parseExposition(text);
    assert.equal(valueOf(parsed, 'escaped_total', { reason: tricky }), 1);
    assert.equal(parsed.help.get('escaped_total'), 'Help with a back\\slash\nand a line feed.');
  });

  test('the same name returns the same instrument; another type or bad names throw', () => {
    const metrics = new PrometheusMetrics();
    metrics.counter('shared_total', 'x').inc();
    metrics.counter('shared_total', 'x').inc();
    assert.equal(valueOf(parseExposition(metrics.render()), 'shared_total'), 2);
    assert.throws(() => metrics.gauge('shared_total', 'x'), /already exists as a counter/);
    metrics.histogram('sized', 'x', [1, 2]);
    assert.throws(() => metrics.histogram('sized', 'x', [1, 3]), /other buckets/);
    assert.throws(() => metrics.counter('bad-name', 'x'), /not a metric name/);
    assert.throws(() => {
      metrics.counter('ok_total', 'x').inc({ 'bad-label': 'v' });
    }, /label name/);
  });

  test('an empty registry renders nothing; a declared metric without samples renders its type', () => {
    const metrics = new PrometheusMetrics();
    assert.equal(metrics.render(), '');
    metrics.counter('quiet_total', 'Never incremented.');
    assert.equal(
      metrics.render(),
      '# HELP quiet_total Never incremented.\n# TYPE quiet_total counter\n',
    );
  });
});

describe('registerProcessMetrics', () => {
  test('reports memory, heap, event-loop delay and uptime at each render', async () => {
    const metrics = new PrometheusMetrics();
    const stop = registerProcessMetrics(metrics);
    try {
      await new Promise((resolve) => setTimeout(resolve, 30));
      const parsed = parseExposition(metrics.render());
      const rss = valueOf(parsed, 'process_resident_memory_bytes') ?? 0;
      assert.ok(rss > 10e6 && rss < 64e9, `rss ${rss}`);
      assert.ok((valueOf(parsed, 'nodejs_heap_used_bytes') ?? 0) > 0);
      const delay = valueOf(parsed, 'nodejs_eventloop_delay_p99_seconds') ?? -1;
      assert.ok(delay >= 0 && delay < 5, `delay ${delay}`);
      const uptime = valueOf(parsed, 'process_uptime_seconds') ?? 0;
      assert.ok(uptime > 0 && uptime <= process.uptime());
      const start = valueOf(parsed, 'process_start_time_seconds') ?? 0;
      assert.ok(Math.abs(start - (Date.now() / 1000 - process.uptime())) < 2);
    } finally {
      stop();
    }
  });
});
