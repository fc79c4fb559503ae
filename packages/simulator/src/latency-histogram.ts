/**
 * A mergeable latency histogram with log-linear buckets of two significant digits (HdrHistogram
 * style): recording is O(1), memory is a few hundred buckets whatever the count, and the
 * histograms of several processes add up exactly.
 */

/** Plain data, for sending between processes. */
export interface HistogramSnapshot {
  /** [bucket key, count] pairs. */
  readonly buckets: readonly (readonly [number, number])[];
  readonly maxMicros: number;
}

export interface LatencySummary {
  readonly count: number;
  /** Upper edges of the buckets holding the percentile, in milliseconds; 0 when empty. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Exact. */
  readonly maxMs: number;
}

/** Key of the bucket holding `micros`: exact below 100 µs, then two significant digits. */
function bucketOf(micros: number): number {
  if (micros < 100) return micros;
  const exponent = Math.floor(Math.log10(micros)) - 1;
  const mantissa = Math.floor(micros / 10 ** exponent);
  // Floating-point log10 can land one decade off right at a power of ten.
  if (mantissa >= 100) return (exponent + 1) * 100 + Math.floor(mantissa / 10);
  return exponent * 100 + mantissa;
}

/** The largest value in microseconds a bucket holds. */
function upperEdgeMicros(key: number): number {
  if (key < 100) return key;
  const exponent = Math.floor(key / 100);
  return ((key % 100) + 1) * 10 ** exponent - 1;
}

export class LatencyHistogram {
  readonly #counts = new Map<number, number>();
  #count = 0;
  #maxMicros = 0;

  /** Records one latency in milliseconds; negative values count as 0. */
  record(ms: number): void {
    const micros = Math.max(0, Math.round(ms * 1000));
    const key = bucketOf(micros);
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    this.#count += 1;
    if (micros > this.#maxMicros) this.#maxMicros = micros;
  }

  get count(): number {
    return this.#count;
  }

  /** The latency, in milliseconds, that `fraction` (0..1) of the recordings do not exceed. */
  percentile(fraction: number): number {
    if (this.#count === 0) return 0;
    const rank = Math.max(1, Math.ceil(fraction * this.#count));
    const keys = [...this.#counts.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const key of keys) {
      seen += this.#counts.get(key) ?? 0;
      if (seen >= rank) return Math.min(upperEdgeMicros(key), this.#maxMicros) / 1000;
    }
    return this.#maxMicros / 1000;
  }

  summary(): LatencySummary {
    return {
      count: this.#count,
      p50Ms: this.percentile(0.5),
      p99Ms: this.percentile(0.99),
      maxMs: this.#maxMicros / 1000,
    };
  }

  /** Adds another histogram's recordings to this one. */
  merge(other: HistogramSnapshot): void {
    for (const [key, count] of other.buckets) {
      this.#counts.set(key, (this.#counts.get(key) ?? 0) + count);
      this.#count += count;
    }
    this.#maxMicros = Math.max(this.#maxMicros, other.maxMicros);
  }

  snapshot(): HistogramSnapshot {
    return { buckets: [...this.#counts.entries()], maxMicros: this.#maxMicros };
  }
}
