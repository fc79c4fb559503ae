import type { Counter, Gauge, Histogram, Labels, Metrics } from '@kinwatch/core';

/** Something /metrics can serve. */
export interface MetricsExposition {
  /** The current values in the Prometheus text exposition format, version 0.0.4. */
  render(): string;
}

/** The Content-Type of `render()`'s output. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

type FamilyType = 'counter' | 'gauge' | 'histogram';

interface Series<V> {
  readonly labels: Labels;
  value: V;
}

interface HistogramValue {
  /** Observations per bucket (not cumulative), the last one for +Inf. */
  readonly counts: number[];
  sum: number;
  count: number;
}

/** One metric name and all its label combinations. */
class Family<V> {
  readonly series = new Map<string, Series<V>>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: FamilyType,
    readonly initial: () => V,
    readonly buckets: readonly number[] = [],
  ) {}

  /**
   * The series of a frozen labels object, found by the object itself: a caller that counts
   * thousands of times a second with a few constant label sets (positions by source) builds no
   * key per call.
   */
  readonly #byFrozen = new WeakMap<Labels, Series<V>>();

  /** The series of `labels`, created on first use. */
  at(labels: Labels | undefined): Series<V> {
    if (labels !== undefined) {
      const known = this.#byFrozen.get(labels);
      if (known !== undefined) return known;
    }
    const key = labelKey(labels, this.type === 'histogram');
    let series = this.series.get(key);
    if (series === undefined) {
      series = { labels: { ...labels }, value: this.initial() };
      this.series.set(key, series);
    }
    if (labels !== undefined && Object.isFrozen(labels)) this.#byFrozen.set(labels, series);
    return series;
  }
}

/**
 * The Metrics port kept in memory and rendered in the Prometheus text format on /metrics.
 * Asking twice for the same name returns the same instrument; asking for it as another type
 * (or a histogram with other buckets) throws. Names and label names that Prometheus would
 * refuse throw at once, as do negative counter increments and NaN observations.
 */
export class PrometheusMetrics implements Metrics, MetricsExposition {
  readonly #families = new Map<string, Family<unknown>>();
  readonly #collectors: (() => void)[] = [];

  counter(name: string, help: string): Counter {
    const family = this.#family(name, help, 'counter', () => 0);
    return {
      inc: (labels, by = 1) => {
        if (!(by >= 0)) throw new RangeError(`counter ${name} cannot go down (inc by ${by})`);
        family.at(labels).value += by;
      },
    };
  }

  gauge(name: string, help: string): Gauge {
    const family = this.#family(name, help, 'gauge', () => 0);
    return {
      set: (value, labels) => {
        family.at(labels).value = value;
      },
      inc: (labels, by = 1) => {
        family.at(labels).value += by;
      },
      dec: (labels, by = 1) => {
        family.at(labels).value -= by;
      },
    };
  }

  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    const bounds = checkBuckets(name, buckets);
    const family = this.#family<HistogramValue>(
      name,
      help,
      'histogram',
      () => ({ counts: new Array<number>(bounds.length + 1).fill(0), sum: 0, count: 0 }),
      bounds,
    );
    if (family.buckets.join() !== bounds.join()) {
      throw new Error(`histogram ${name} already exists with other buckets`);
    }
    return {
      observe: (value, labels) => {
        if (Number.isNaN(value)) throw new RangeError(`histogram ${name} observed NaN`);
        const histogram = family.at(labels).value;
        let index = bounds.findIndex((bound) => value <= bound);
        if (index < 0) index = bounds.length;
        histogram.counts[index] = (histogram.counts[index] ?? 0) + 1;
        histogram.sum += value;
        histogram.count += 1;
      },
    };
  }

  /** Runs `collect` before every render: for values sampled rather than counted. */
  onCollect(collect: () => void): void {
    this.#collectors.push(collect);
  }

  render(): string {
    for (const collect of this.#collectors) collect();
    const lines: string[] = [];
    for (const family of this.#families.values()) {
      lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
      lines.push(`# TYPE ${family.name} ${family.type}`);
      for (const series of family.series.values()) {
        if (family.type === 'histogram') {
          renderHistogram(lines, family.name, family.buckets, series as Series<HistogramValue>);
        } else {
          lines.push(sample(family.name, series.labels, series.value as number));
        }
      }
    }
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  }

  #family<V>(name: string, help: string, type: FamilyType, initial: () => V, buckets?: number[]) {
    if (!METRIC_NAME.test(name)) throw new Error(`${JSON.stringify(name)} is not a metric name`);
    const existing = this.#families.get(name);
    if (existing !== undefined) {
      if (existing.type !== type)
        throw new Error(`metric ${name} already exists as a ${existing.type}`);
      return existing as Family<V>;
    }
    const family = new Family<V>(name, help, type, initial, buckets);
    this.#families.set(name, family);
    return family;
  }
}

function checkBuckets(name: string, buckets: readonly number[]): number[] {
  // +Inf is always there; saying it again is harmless.
  const bounds = buckets.filter((bound) => bound !== Number.POSITIVE_INFINITY);
  bounds.forEach((bound, index) => {
    const previous = bounds[index - 1];
    if (!Number.isFinite(bound) || (previous !== undefined && bound <= previous)) {
      throw new Error(`histogram ${name}: buckets must be finite and strictly increasing`);
    }
  });
  return bounds;
}

function renderHistogram(
  lines: string[],
  name: string,
  bounds: readonly number[],
  series: Series<HistogramValue>,
): void {
  let cumulative = 0;
  const { counts, sum, count } = series.value;
  for (const [index, bound] of [...bounds, Number.POSITIVE_INFINITY].entries()) {
    cumulative += counts[index] ?? 0;
    const labels = { ...series.labels, le: formatNumber(bound) };
    lines.push(sample(`${name}_bucket`, labels, cumulative));
  }
  lines.push(sample(`${name}_sum`, series.labels, sum));
  lines.push(sample(`${name}_count`, series.labels, count));
}

/** Label names already checked, so that a hot counter does not test them on every `inc`. */
const usableLabelNames = new Set<string>();

/**
 * Identifies a label set whatever the order its keys were written in. Runs on every labelled
 * `inc` and `observe` (several per position stored): the names are sorted in place with an
 * insertion sort (label sets are small; `Array.prototype.sort` copies the array first) and
 * each name is checked once per process.
 */
function labelKey(labels: Labels | undefined, isHistogram: boolean): string {
  if (labels === undefined) return '';
  const names = Object.keys(labels);
  for (let i = 1; i < names.length; i++) {
    const name = names[i] as string;
    let j = i - 1;
    for (; j >= 0 && (names[j] as string) > name; j--) names[j + 1] = names[j] as string;
    names[j + 1] = name;
  }
  let key = '';
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (isHistogram && name === 'le') throw unusableLabelName(name);
    if (!usableLabelNames.has(name)) {
      if (!LABEL_NAME.test(name) || name.startsWith('__')) throw unusableLabelName(name);
      usableLabelNames.add(name);
    }
    key += `${i === 0 ? '' : '\u0001'}${name}\u0000${labels[name] ?? ''}`;
  }
  return key;
}

function unusableLabelName(name: string): Error {
  return new Error(`${JSON.stringify(name)} is not a usable label name`);
}

function sample(name: string, labels: Labels, value: number): string {
  const pairs = Object.entries(labels).map(([key, text]) => `${key}="${escapeLabelValue(text)}"`);
  const labelText = pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
  return `${name}${labelText} ${formatNumber(value)}`;
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function escapeLabelValue(text: string): string {
  return text.replace(/[\\"\n]/g, (char) => (char === '\n' ? '\\n' : `\\${char}`));
}

function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (char) => (char === '\n' ? '\\n' : '\\\\'));
}
