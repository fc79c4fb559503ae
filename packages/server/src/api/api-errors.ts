import { DomainError, type DomainErrorKind, type Logger } from '@kinwatch/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** The one shape of every error answer, API or not. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe('Stable machine-readable code, e.g. invalidCode, watchNotFound.'),
      message: z.string().describe('What went wrong, for a person.'),
      details: z
        .array(z.object({ field: z.string(), message: z.string() }))
        .optional()
        .describe('One entry per invalid field of the request.'),
    }),
  })
  .meta({ id: 'Error' });

export type ErrorBody = z.infer<typeof errorBodySchema>;

const STATUS_OF_KIND: Readonly<Record<DomainErrorKind, number>> = {
  invalid: 400,
  unauthenticated: 401,
  reauthenticationRequired: 403,
  forbidden: 403,
  notFound: 404,
  conflict: 409,
  tooLarge: 413,
  tooManyRequests: 429,
  unavailable: 503,
};

/** Codes for fastify's own 4xx errors (bad JSON, body too large, wrong content type...). */
const CODE_OF_STATUS: Readonly<Record<number, string>> = {
  400: 'badRequest',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'notFound',
  405: 'methodNotAllowed',
  406: 'notAcceptable',
  408: 'requestTimeout',
  413: 'payloadTooLarge',
  415: 'unsupportedMediaType',
  429: 'tooManyRequests',
};

export function errorBody(
  code: string,
  message: string,
  details?: ErrorBody['error']['details'],
): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/**
 * Turns anything a handler throws into the error shape: domain refusals by their kind, schema
 * failures with one detail per field, fastify's own 4xx as they are, and everything else as a
 * 500 whose details go to the log only.
 */
export function createErrorHandler(logger: Logger) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((issue) => ({
        field: fieldOf(issue.instancePath, issue.params),
        message: issue.message ?? 'is invalid',
      }));
      void reply.status(400).send(errorBody('invalidRequest', 'The request is invalid.', details));
      return;
    }
    if (error instanceof DomainError) {
      if (error.retryAfterSeconds !== undefined) {
        void reply.header('retry-after', String(error.retryAfterSeconds));
      }
      void reply.status(STATUS_OF_KIND[error.kind]).send(errorBody(error.code, error.message));
      return;
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      void reply
        .status(status)
        .send(errorBody(CODE_OF_STATUS[status] ?? 'badRequest', error.message));
      return;
    }
    // The route pattern, not the URL: URLs carry ids and tokens that logs must not keep.
    logger.error(
      { err: error, route: request.routeOptions.url ?? 'unmatched' },
      'HTTP handler error',
    );
    void reply.status(500).send(errorBody('internal', 'Something went wrong on the server.'));
  };
}

/** `/body/phone` → `body.phone`; an unknown key is named by its parameter. */
function fieldOf(instancePath: string, params: unknown): string {
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.');
  const keys = (params as { keys?: unknown } | undefined)?.keys;
  if (Array.isArray(keys) && keys.length > 0) {
    const extra = keys.map(String).join(', ');
    return path === '' ? extra : `${path}.${extra}`;
  }
  return path;
}
