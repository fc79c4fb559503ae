/**
 * Counters, gauges and histograms as a port; the server exposes them in the Prometheus text
 * format on /metrics. Names follow Prometheus conventions (`kinwatch_frames_total`), label
 * values are few and bounded (a reason, a message type; never a device id).
 */
export type Labels = Readonly<Record<string, string>>;

export interface Counter {
  inc(labels?: Labels, by?: number): void;
}

export interface Gauge {
  set(value: number, labels?: Labels): void;
  inc(labels?: Labels, by?: number): void;
  dec(labels?: Labels, by?: number): void;
}

export interface Histogram {
  /** Records one observation, in the unit the histogram's name states (`_seconds`). */
  observe(value: number, labels?: Labels): void;
}

export interface Metrics {
  counter(name: string, help: string): Counter;
  gauge(name: string, help: string): Gauge;
  /** `buckets` are upper bounds in increasing order. */
  histogram(name: string, help: string, buckets: readonly number[]): Histogram;
}
