import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Logger } from '@kinwatch/core';
import { PrometheusMetrics } from '../observability/prometheus-metrics.ts';
import { createHttpServer, type ReadinessCheck } from './http-server.ts';

interface Line {
  readonly level: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly message: string;
}

function recordingLogger(lines: Line[]): Logger {
  const at = (level: string) => (fields: Readonly<Record<string, unknown>>, message: string) => {
    lines.push({ level, fields, message });
  };
  const logger: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  };
  return logger;
}

function server(readinessChecks: Record<string, ReadinessCheck> = {}, lines: Line[] = []) {
  const metrics = new PrometheusMetrics();
  const app = createHttpServer({
    logger: recordingLogger(lines),
    metrics,
    readinessChecks,
    readinessTimeoutMs: 50,
  });
  return { app, metrics };
}

describe('operator endpoints', () => {
  test('GET /health answers 200 {status: ok} even when not ready', async () => {
    const { app } = server({ database: () => false });
    const response = await app.inject({ method: 'GET', url: '/health' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok' });
    await app.close();
  });

  test('GET /ready answers 200 when every check passes', async () => {
    const { app } = server({ database: () => Promise.resolve(true), gateway: () => true });
    const response = await app.inject({ method: 'GET', url: '/ready' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), {
      status: 'ready',
      checks: { database: 'ok', gateway: 'ok' },
    });
    await app.close();
  });

  test('GET /ready answers 503 naming each failed check, and logs the reason only', async () => {
    const lines: Line[] = [];
    const { app } = server(
      {
        database: () => Promise.reject(new Error('cannot reach PostgreSQL at db.internal')),
        gateway: () => false,
        bus: () => true,
        blobs: () => new Promise<boolean>(() => undefined),
      },
      lines,
    );
    const response = await app.inject({ method: 'GET', url: '/ready' });
    assert.equal(response.statusCode, 503);
    assert.deepEqual(response.json(), {
      status: 'not ready',
      failed: ['database', 'gateway', 'blobs'],
      checks: { database: 'failed', gateway: 'failed', bus: 'ok', blobs: 'timeout' },
    });
    assert.ok(!response.body.includes('db.internal'), 'error details stay in the log');
    const logged = lines.find((line) => line.fields['check'] === 'database');
    assert.match(String(logged?.fields['reason']), /db\.internal/);
    await app.close();
  });

  test('GET /metrics serves the Prometheus text format, including HTTP request counts', async () => {
    const { app, metrics } = server();
    metrics.counter('kinwatch_frames_total', 'Frames.').inc({ type: 'linkKeepAlive' }, 5);
    await app.inject({ method: 'GET', url: '/health' });
    await app.inject({ method: 'GET', url: '/no/such/page' });
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    assert.match(response.body, /^kinwatch_frames_total\{type="linkKeepAlive"\} 5$/m);
    assert.match(
      response.body,
      /^kinwatch_http_requests_total\{method="GET",route="\/health",status="200"\} 1$/m,
    );
    // An unknown URL is counted without putting the URL in a label.
    assert.match(response.body, /route="unmatched",status="404"\} 1$/m);
    assert.ok(!response.body.includes('/no/such/page'));
    await app.close();
  });
});

describe('errors in routes', () => {
  test('a throwing route answers 500 without details and logs the error with its route', async () => {
    const lines: Line[] = [];
    const { app } = server({}, lines);
    app.get('/boom/:watchId', () => {
      throw new Error('secret detail');
    });
    const response = await app.inject({ method: 'GET', url: '/boom/w-123?token=abc' });
    assert.equal(response.statusCode, 500);
    assert.deepEqual(response.json(), {
      error: { code: 'internal', message: 'Something went wrong on the server.' },
    });
    const logged = lines.find((line) => line.message === 'HTTP handler error');
    assert.equal(logged?.fields['route'], '/boom/:watchId');
    assert.ok(!JSON.stringify(lines.map((line) => line.fields['route'])).includes('w-123'));
    await app.close();
  });
});
