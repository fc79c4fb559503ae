import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { PrometheusMetrics } from './prometheus-metrics.ts';

/**
 * Adds the process's own health to `metrics`, sampled at each scrape: resident memory, V8 heap,
 * event-loop delay (p99 and max since the previous scrape) and uptime. Returns a function that
 * stops the event-loop delay sampler.
 */
export function registerProcessMetrics(metrics: PrometheusMetrics): () => void {
  const rss = metrics.gauge('process_resident_memory_bytes', 'Resident memory size in bytes.');
  const heapUsed = metrics.gauge('nodejs_heap_used_bytes', 'V8 heap in use, in bytes.');
  const heapTotal = metrics.gauge('nodejs_heap_total_bytes', 'V8 heap reserved, in bytes.');
  const delayP99 = metrics.gauge(
    'nodejs_eventloop_delay_p99_seconds',
    'Event-loop delay, 99th percentile since the previous scrape.',
  );
  const delayMax = metrics.gauge(
    'nodejs_eventloop_delay_max_seconds',
    'Longest event-loop delay since the previous scrape.',
  );
  const uptime = metrics.gauge('process_uptime_seconds', 'Seconds since the process started.');
  const startTime = metrics.gauge(
    'process_start_time_seconds',
    'Start time of the process since the Unix epoch, in seconds.',
  );
  // 10 ms sampling resolution: fine enough to see the stalls that delay watch replies, cheap
  // enough to leave on.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  startTime.set(Math.round(Date.now() / 1000 - process.uptime()));
  metrics.onCollect(() => {
    const memory = process.memoryUsage();
    rss.set(memory.rss);
    heapUsed.set(memory.heapUsed);
    heapTotal.set(memory.heapTotal);
    // Percentiles are in nanoseconds; with no sample yet they are 0, which is what we show.
    delayP99.set(loopDelay.percentile(99) / 1e9);
    delayMax.set(loopDelay.max / 1e9);
    loopDelay.reset();
    uptime.set(process.uptime());
  });
  return () => {
    loopDelay.disable();
  };
}
