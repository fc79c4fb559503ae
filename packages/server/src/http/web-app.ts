import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { Logger } from '@kinwatch/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorBody } from '../api/api-errors.ts';

/** Where `npm run build:web` puts the production build of packages/web. */
export const WEB_DIST_DIR = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

export interface WebAppOptions {
  readonly logger: Logger;
  /** The operator's tile server, allowed as an image source by the page's policy. */
  readonly mapTileUrl?: string | undefined;
  /** The built app; WEB_DIST_DIR by default. */
  readonly distDir?: string;
}

/**
 * The CSP source of a tile URL template: its origin, with a `{s}` subdomain placeholder as a
 * wildcard (Leaflet spreads requests over a., b. and c.).
 */
function tileSource(template: string): string {
  const probe = new URL(template.replace('{s}', 'kinwatch-subdomain').replace(/\{[a-z]\}/g, '0'));
  return probe.origin.replace('kinwatch-subdomain', '*');
}

/**
 * The page's Content-Security-Policy: scripts, styles, data and workers from this server only
 * (no third party can run code in a guardian's session), tiles from the configured tile server.
 * Leaflet positions its layers with inline styles, hence 'unsafe-inline' for styles only.
 */
export function contentSecurityPolicy(mapTileUrl: string | undefined): string {
  const tileOrigin = mapTileUrl === undefined ? '' : ` ${tileSource(mapTileUrl)}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${tileOrigin}`,
    "connect-src 'self'",
    "media-src 'self' blob:",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Serves the guardian web app on the HTTP server: its files (hashed assets cached for a year,
 * everything else revalidated), and index.html for every other GET outside /api so that the
 * app's own URLs work when opened directly. Without a build, a page says how to make one.
 */
export async function registerWebApp(app: FastifyInstance, options: WebAppOptions): Promise<void> {
  const distDir = options.distDir ?? WEB_DIST_DIR;
  const policy = contentSecurityPolicy(options.mapTileUrl);
  const hasBuild = existsSync(`${distDir}/index.html`);
  if (!hasBuild) {
    options.logger.warn({ distDir }, 'web app not built: run npm run build:web');
  }
  const secure = (reply: FastifyReply) => {
    void reply
      .header('content-security-policy', policy)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('permissions-policy', 'camera=(self), geolocation=(self), microphone=(self)');
  };
  if (hasBuild) {
    await app.register(fastifyStatic, {
      root: distDir,
      prefix: '/',
      wildcard: false,
      index: false,
      preCompressed: true,
      cacheControl: false,
      setHeaders: (response, path) => {
        response.setHeader(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!request.url.startsWith('/api/')) secure(reply);
    done(null, payload);
  });
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith('/api/') || path === '/api') {
      return reply
        .status(404)
        .send(errorBody('routeNotFound', `There is no route ${request.method} ${path}.`));
    }
    // A missing file (/sw.js, /icon.png) is a 404, not the app: a browser would otherwise run
    // index.html as a script or show it as an image.
    if (/\.[a-z0-9]+$/i.test(path)) {
      return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
    }
    if (!hasBuild) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The Kinwatch web app is not built. Run: npm run build:web');
    }
    void reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html');
  });
}
