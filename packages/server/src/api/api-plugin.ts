import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { RouteContext } from './api-route.ts';
import { typedApp } from './api-route.ts';
import type { ApiOptions, ApiServices } from './api-services.ts';
import { acceptImageBodies } from './image-upload.ts';
import { registerAlertRoutes } from './routes/alerts.routes.ts';
import { registerActivityRoutes } from './routes/activity.routes.ts';
import { registerAuthRoutes } from './routes/auth.routes.ts';
import { registerStreamRoutes } from './routes/stream.routes.ts';
import { StreamHub } from './stream/stream-hub.ts';
import { registerClientConfigRoutes } from './routes/client-config.routes.ts';
import { registerDemoRoutes } from './routes/demo.routes.ts';
import { registerFamilyRoutes } from './routes/family.routes.ts';
import { registerLocationRoutes } from './routes/location.routes.ts';
import { registerMeRoutes } from './routes/me.routes.ts';
import { registerNotificationRoutes } from './routes/notifications.routes.ts';
import { registerWatchRoutes } from './routes/watches.routes.ts';
import { registerZoneRoutes } from './routes/zones.routes.ts';
import { guardianRequired } from './session-cookie.ts';

export const API_VERSION = '1.0.0';

/** Where the OpenAPI document and the browsable docs are served. */
export const OPENAPI_PATH = '/api/openapi.json';
export const API_DOCS_PATH = '/api/docs';

/**
 * Registers the guardian API under /api/v1 on the HTTP server: zod schemas validate every
 * request (unknown fields refused) and response, and become the OpenAPI document.
 */
export async function registerApi(
  app: FastifyInstance,
  services: ApiServices,
  options: ApiOptions,
): Promise<void> {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(fastifyCookie);
  // Stream clients send nothing; a small frame limit keeps a misbehaving one cheap.
  await app.register(fastifyWebsocket, { options: { maxPayload: 4096 } });
  app.decorateRequest('guardian', null);
  acceptImageBodies(app);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Kinwatch API',
        version: API_VERSION,
        description:
          'The guardian API of Kinwatch. Log in with POST /api/v1/auth/otp then /api/v1/auth/login; the session is an HttpOnly cookie. Errors have one shape: {"error": {"code", "message", "details"?}}.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'kinwatch_session' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  const context: RouteContext = {
    app: typedApp(app),
    services,
    options,
    guardian: guardianRequired(services.sessions),
  };
  registerAuthRoutes(context);
  registerMeRoutes(context);
  registerNotificationRoutes(context);
  registerWatchRoutes(context);
  registerFamilyRoutes(context);
  registerDemoRoutes(context);
  registerClientConfigRoutes(context);
  registerLocationRoutes(context);
  registerActivityRoutes(context);
  registerAlertRoutes(context);
  registerZoneRoutes(context);
  const hub = new StreamHub({
    bus: services.bus,
    alerts: services.alerts,
    watchesOf: async (accountId) =>
      (await services.family.watchesOf(accountId)).map((watch) => watch.watchId),
    logger: services.logger.child({ component: 'stream' }),
  });
  registerStreamRoutes(context, hub);
  app.addHook('onReady', () => {
    hub.start();
    return Promise.resolve();
  });
  app.addHook('onClose', () => {
    hub.stop();
    return Promise.resolve();
  });
  app.get(OPENAPI_PATH, { schema: { hide: true } }, () => app.swagger());
  await app.register(fastifySwaggerUi, { routePrefix: API_DOCS_PATH });
}
