import { DomainError } from '@kinwatch/core';
import { z } from 'zod';
import { ERROR_RESPONSES, type RouteContext } from '../api-route.ts';
import { accountSchema, presentAccount } from '../api-schemas.ts';
import { clientOf, setSessionCookie } from '../session-cookie.ts';

/** "Try the demo": a throw-away family with a simulated watch, no SMS needed. */
export function registerDemoRoutes({ app, services, options }: RouteContext): void {
  app.post(
    '/api/v1/demo',
    {
      schema: {
        tags: ['demo'],
        summary: 'Start a demo family with a simulated watch, logged in',
        description:
          'Makes a demo account (clearly marked) that guards one simulated watch walking around. Everything is deleted after the demo time (2 hours by default). No SMS is sent.',
        response: { 201: z.object({ account: accountSchema }), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      if (services.demo === undefined) {
        throw new DomainError(
          'unavailable',
          'demoDisabled',
          'The demo is switched off on this server.',
        );
      }
      const { token } = await services.demo.start(clientOf(request));
      const resolved = await services.sessions.resolve(token);
      if (resolved === undefined) throw new Error('a demo session just made cannot be resolved');
      setSessionCookie(reply, token, options);
      return reply.status(201).send({ account: presentAccount(resolved.account) });
    },
  );
}
