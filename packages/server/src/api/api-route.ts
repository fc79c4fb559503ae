import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from './api-errors.ts';
import type { ApiOptions, ApiServices } from './api-services.ts';

export function typedApp(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}

/** The fastify instance routes are registered on, typed by zod schemas. */
export type ApiApp = ReturnType<typeof typedApp>;

/** What each route file receives. */
export interface RouteContext {
  readonly app: ApiApp;
  readonly services: ApiServices;
  readonly options: ApiOptions;
  /** preHandler that lets only a logged-in guardian through (sets `request.guardian`). */
  readonly guardian: (request: FastifyRequest) => Promise<void>;
}

/** Error answers every route may give, in the one error shape. */
export const ERROR_RESPONSES = { '4xx': errorBodySchema, '5xx': errorBodySchema } as const;

/** An empty answer. */
export const NO_CONTENT = { 204: z.null().describe('No content.') } as const;
