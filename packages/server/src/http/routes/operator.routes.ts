import type { Logger } from '@kinwatch/core';
import type { FastifyInstance } from 'fastify';
import {
  PROMETHEUS_CONTENT_TYPE,
  type MetricsExposition,
} from '../../observability/prometheus-metrics.ts';

/**
 * A readiness probe: true when the part it checks can serve, false or a rejection when it
 * cannot. A rejection's message is logged, not shown: /ready is reachable by
 * anyone who can reach the HTTP port, and error messages name hosts and paths.
 */
export type ReadinessCheck = () => Promise<boolean> | boolean;

export interface OperatorRoutesOptions {
  readonly logger: Logger;
  readonly metrics: MetricsExposition;
  readonly readinessChecks: Readonly<Record<string, ReadinessCheck>>;
  readonly readinessTimeoutMs: number;
}

/**
 * GET /health: liveness, 200 whenever the process can answer at all.
 * GET /ready: readiness, 200 when every probe passes, else 503 naming the ones that failed.
 * GET /metrics: Prometheus text exposition.
 * No authentication: expose these on a private network or behind the reverse proxy's rules.
 */
export function registerOperatorRoutes(app: FastifyInstance, options: OperatorRoutesOptions): void {
  app.get('/health', () => ({ status: 'ok' }));

  app.get('/ready', async (_request, reply) => {
    const names = Object.keys(options.readinessChecks);
    const outcomes = await Promise.all(
      names.map((name) =>
        runCheck(options.readinessChecks[name] ?? (() => false), options.readinessTimeoutMs),
      ),
    );
    const checks: Record<string, CheckStatus> = {};
    names.forEach((name, index) => {
      const outcome = outcomes[index] ?? { status: 'failed', reason: 'not run' };
      checks[name] = outcome.status;
      if (outcome.status !== 'ok') {
        options.logger.warn({ check: name, reason: outcome.reason }, 'readiness check failed');
      }
    });
    const failed = names.filter((name) => checks[name] !== 'ok');
    if (failed.length === 0) return { status: 'ready', checks };
    return reply.status(503).send({ status: 'not ready', failed, checks });
  });

  app.get('/metrics', (_request, reply) => {
    return reply.type(PROMETHEUS_CONTENT_TYPE).send(options.metrics.render());
  });
}

type CheckStatus = 'ok' | 'failed' | 'timeout';

interface CheckOutcome {
  readonly status: CheckStatus;
  readonly reason?: string;
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => {
      resolve({ status: 'timeout', reason: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
  });
  const probe = (async (): Promise<CheckOutcome> => {
    try {
      return (await check())
        ? { status: 'ok' }
        : { status: 'failed', reason: 'the check answered false' };
    } catch (error) {
      return { status: 'failed', reason: error instanceof Error ? error.message : String(error) };
    }
  })();
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
