import type { Logger } from '../observability/logger.ports.ts';
import type { Counter, Gauge, Histogram, Labels, Metrics } from '../observability/metrics.ports.ts';

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly fields: Readonly<Record<string, unknown>>;
  readonly message: string;
}

/** A Logger for unit tests that keeps every line. */
export class RecordingLogger implements Logger {
  readonly entries: LogEntry[];
  readonly #bound: Readonly<Record<string, unknown>>;

  constructor(entries: LogEntry[] = [], bound: Readonly<Record<string, unknown>> = {}) {
    this.entries = entries;
    this.#bound = bound;
  }

  debug(fields: Readonly<Record<string, unknown>>, message: string): void {
    this.entries.push({ level: 'debug', fields: { ...this.#bound, ...fields }, message });
  }
  info(fields: Readonly<Record<string, unknown>>, message: string): void {
    this.entries.push({ level: 'info', fields: { ...this.#bound, ...fields }, message });
  }
  warn(fields: Readonly<Record<string, unknown>>, message: string): void {
    this.entries.push({ level: 'warn', fields: { ...this.#bound, ...fields }, message });
  }
  error(fields: Readonly<Record<string, unknown>>, message: string): void {
    this.entries.push({ level: 'error', fields: { ...this.#bound, ...fields }, message });
  }
  child(fields: Readonly<Record<string, unknown>>): Logger {
    return new RecordingLogger(this.entries, { ...this.#bound, ...fields });
  }
}

/** Metrics for unit tests: values by `name{label="value",...}` (labels sorted). */
export class RecordingMetrics implements Metrics {
  readonly values = new Map<string, number>();
  readonly observations = new Map<string, number[]>();

  counter(name: string): Counter {
    return {
      inc: (labels, by = 1) => {
        this.#add(key(name, labels), by);
      },
    };
  }

  gauge(name: string): Gauge {
    return {
      set: (value, labels) => {
        this.values.set(key(name, labels), value);
      },
      inc: (labels, by = 1) => {
        this.#add(key(name, labels), by);
      },
      dec: (labels, by = 1) => {
        this.#add(key(name, labels), -by);
      },
    };
  }

  histogram(name: string): Histogram {
    return {
      observe: (value, labels) => {
        const id = key(name, labels);
        const list = this.observations.get(id) ?? [];
        list.push(value);
        this.observations.set(id, list);
      },
    };
  }

  /** The counter or gauge value, 0 when never touched. */
  value(name: string, labels?: Labels): number {
    return this.values.get(key(name, labels)) ?? 0;
  }

  #add(id: string, by: number): void {
    this.values.set(id, (this.values.get(id) ?? 0) + by);
  }
}

function key(name: string, labels: Labels = {}): string {
  const parts = Object.keys(labels)
    .sort()
    .map((label) => `${label}="${labels[label] ?? ''}"`);
  return parts.length === 0 ? name : `${name}{${parts.join(',')}}`;
}
