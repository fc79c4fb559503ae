/**
 * Just enough of the Prometheus text format to read Kinwatch's /metrics in the ingest benchmark
 * and the durability test: unlabelled counters and the buckets of one histogram.
 */

/** Cumulative count per upper bound (seconds), `Infinity` last, as /metrics shows them. */
export interface HistogramSnapshot {
  readonly bounds: readonly number[];
  readonly cumulative: readonly number[];
  readonly count: number;
  readonly sum: number;
}

/** The value of `name` with no labels, or undefined when /metrics does not show it. */
export function metricValue(text: string, name: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `)) return Number(line.slice(name.length + 1));
  }
  return undefined;
}

/** The buckets of histogram `name` (its unlabelled series), or undefined when absent. */
export function histogramValue(text: string, name: string): HistogramSnapshot | undefined {
  const bounds: number[] = [];
  const cumulative: number[] = [];
  const bucket = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`);
  for (const line of text.split('\n')) {
    const match = bucket.exec(line);
    if (match === null) continue;
    const bound = match[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(match[1]);
    bounds.push(bound);
    cumulative.push(Number(match[2]));
  }
  if (bounds.length === 0) return undefined;
  return {
    bounds,
    cumulative,
    count: metricValue(text, `${name}_count`) ?? 0,
    sum: metricValue(text, `${name}_sum`) ?? 0,
  };
}

/** What was observed between two snapshots of the same histogram. */
export function histogramDelta(after: HistogramSnapshot, before?: HistogramSnapshot) {
  return {
    bounds: after.bounds,
    cumulative: after.cumulative.map((value, index) => value - (before?.cumulative[index] ?? 0)),
    count: after.count - (before?.count ?? 0),
    sum: after.sum - (before?.sum ?? 0),
  };
}

/**
 * The q-quantile (0..1) estimated as Prometheus' histogram_quantile does: linear within the
 * bucket it falls in. Undefined without observations; the highest finite bound when it falls
 * in the +Inf bucket.
 */
export function quantile(histogram: HistogramSnapshot, q: number): number | undefined {
  const { bounds, cumulative, count } = histogram;
  if (count <= 0) return undefined;
  const rank = q * count;
  for (let index = 0; index < bounds.length; index++) {
    const upTo = cumulative[index] ?? 0;
    if (upTo < rank) continue;
    const bound = bounds[index] ?? 0;
    const lower = index === 0 ? 0 : (bounds[index - 1] ?? 0);
    if (!Number.isFinite(bound)) return lower;
    const below = index === 0 ? 0 : (cumulative[index - 1] ?? 0);
    const inBucket = upTo - below;
    return inBucket <= 0 ? bound : lower + ((bound - lower) * (rank - below)) / inBucket;
  }
  return bounds.at(-2);
}
