import type { Logger, Metrics } from '@kinwatch/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { createErrorHandler, errorBody } from '../api/api-errors.ts';
import type { MetricsExposition } from '../observability/prometheus-metrics.ts';
import { registerOperatorRoutes, type ReadinessCheck } from './routes/operator.routes.ts';

export type { ReadinessCheck } from './routes/operator.routes.ts';

export interface HttpServerOptions {
  readonly logger: Logger;
  /** Where request counts and durations go, and what /metrics serves. */
  readonly metrics: Metrics & MetricsExposition;
  /** Named probes /ready runs, such as `database` and `gateway`. */
  readonly readinessChecks: Readonly<Record<string, ReadinessCheck>>;
  /** How long /ready waits for one probe before counting it failed. Default 2000 ms. */
  readonly readinessTimeoutMs?: number;
}

const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];

/**
 * The HTTP server with the operator endpoints (/health, /ready, /metrics); the API and the web
 * app are registered on the same instance. Not listening yet: call `listenHttpServer`.
 * Fastify's own logger is off: requests are logged through the Logger port, at debug level
 * unless they fail, and counted by route and status.
 */
export function createHttpServer(options: HttpServerOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  const routes: RegisteredRoute[] = [];
  ROUTES.set(app, routes);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routes.push({ method, url: route.url });
  });
  const { logger, metrics } = options;
  const requests = metrics.counter('kinwatch_http_requests_total', 'HTTP requests answered.');
  const durations = metrics.histogram(
    'kinwatch_http_request_duration_seconds',
    'Time to answer an HTTP request.',
    DURATION_BUCKETS,
  );
  app.addHook('onResponse', (request, reply, done) => {
    // The route pattern, not the URL: label values must stay few (no ids, no query strings).
    const route = request.routeOptions.url ?? 'unmatched';
    const status = String(reply.statusCode);
    requests.inc({ method: request.method, route, status });
    durations.observe(reply.elapsedTime / 1000, { route });
    const fields = { method: request.method, route, status: reply.statusCode };
    if (reply.statusCode >= 500) logger.warn(fields, 'HTTP request failed');
    else logger.debug(fields, 'HTTP request');
    done();
  });
  app.setErrorHandler(createErrorHandler(logger));
  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .send(
        errorBody(
          'routeNotFound',
          `There is no route ${request.method} ${request.url.split('?')[0] ?? ''}.`,
        ),
      );
  });
  registerOperatorRoutes(app, {
    logger,
    metrics,
    readinessChecks: options.readinessChecks,
    readinessTimeoutMs: options.readinessTimeoutMs ?? 2_000,
  });
  return app;
}

/** A method and URL pattern the server answers. */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
}

const ROUTES = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route registered on a server made by createHttpServer (HEAD routes included). */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return ROUTES.get(app) ?? [];
}

/**
 * Starts listening and logs `HTTP server listening` with the bound host and port (the port
 * chosen by the system when 0 was asked). Resolves with the bound port.
 */
export async function listenHttpServer(
  app: FastifyInstance,
  address: { readonly host: string; readonly port: number },
  logger: Logger,
): Promise<number> {
  await app.listen({ host: address.host, port: address.port });
  const bound = app.server.address();
  const port = typeof bound === 'object' && bound !== null ? bound.port : address.port;
  logger.info({ host: address.host, port }, 'HTTP server listening');
  return port;
}
