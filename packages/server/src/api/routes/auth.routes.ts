import { z } from 'zod';
import { ERROR_RESPONSES, NO_CONTENT, type RouteContext } from '../api-route.ts';
import {
  accountSchema,
  codeSchema,
  passwordSchema,
  phoneInputSchema,
  presentAccount,
} from '../api-schemas.ts';
import { parseMobileNumber } from '../phone-number.ts';
import {
  clearSessionCookie,
  clientOf,
  guardianOf,
  SESSION_COOKIE,
  setSessionCookie,
} from '../session-cookie.ts';

const TAGS = ['auth'];

/** Asking for a code, logging in (which registers on first login), out, re-authenticating. */
export function registerAuthRoutes({ app, services, options, guardian }: RouteContext): void {
  app.post(
    '/api/v1/auth/otp',
    {
      schema: {
        tags: TAGS,
        summary: 'Send a login code by SMS',
        description:
          'Sends a 6-digit code valid 10 minutes. The answer is the same whether or not the number has an account.',
        body: z.strictObject({ phone: phoneInputSchema }),
        response: { 202: z.object({ expiresInSeconds: z.number() }), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const phone = parseMobileNumber(request.body.phone);
      await services.auth.sendCode(
        { phone: phone.e164, region: phone.region, clientAddress: request.ip },
        'login',
      );
      return reply.status(202).send({ expiresInSeconds: 600 });
    },
  );

  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: TAGS,
        summary: 'Log in (and register on first login) with a code or a password',
        body: z.union([
          z.strictObject({ phone: phoneInputSchema, code: codeSchema }),
          z.strictObject({ phone: phoneInputSchema, password: z.string().min(1).max(200) }),
        ]),
        response: {
          200: z.object({ account: accountSchema, isNewAccount: z.boolean() }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const { body } = request;
      const phone = parseMobileNumber(body.phone).e164;
      const result =
        'code' in body
          ? await services.auth.loginWithCode(phone, body.code, clientOf(request))
          : await services.auth.loginWithPassword(phone, body.password, clientOf(request));
      // A fresh token at every login: a token planted before login is worth nothing.
      const previous = request.cookies[SESSION_COOKIE];
      if (previous !== undefined) await endSessionOfToken(services, previous);
      setSessionCookie(reply, result.token, options);
      return { account: presentAccount(result.account), isNewAccount: result.isNewAccount };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      schema: {
        tags: TAGS,
        summary: 'End this session',
        response: { ...NO_CONTENT, ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      await services.sessions.end(guardianOf(request).tokenHash);
      clearSessionCookie(reply, options);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/reauth/otp',
    {
      schema: {
        tags: TAGS,
        summary: "Send a confirmation code to the account's number",
        response: { 202: z.object({ expiresInSeconds: z.number() }), ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      const { account } = guardianOf(request);
      const phone = parseMobileNumber(account.phone);
      await services.auth.sendCode(
        { phone: account.phone, region: phone.region, clientAddress: request.ip },
        'reauth',
      );
      return reply.status(202).send({ expiresInSeconds: 600 });
    },
  );

  app.post(
    '/api/v1/auth/reauth',
    {
      schema: {
        tags: TAGS,
        summary: 'Confirm it is you, for 10 minutes of sensitive actions',
        description:
          'Needed before unbinding a watch, handing over the admin role or changing the password.',
        body: z.union([
          z.strictObject({ password: z.string().min(1).max(200) }),
          z.strictObject({ code: codeSchema }),
        ]),
        response: { ...NO_CONTENT, ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      const caller = guardianOf(request);
      await services.auth.reauthenticate(caller.account, caller.tokenHash, request.body);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/v1/me/password',
    {
      schema: {
        tags: TAGS,
        summary: 'Set or change the password',
        description:
          'Needs a login or re-authentication within 10 minutes; ends the other sessions.',
        body: z.strictObject({ password: passwordSchema }),
        response: { ...NO_CONTENT, ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      await services.accounts.setPassword(guardianOf(request), request.body.password);
      return reply.status(204).send(null);
    },
  );
}

async function endSessionOfToken(services: RouteContext['services'], token: string): Promise<void> {
  const previous = await services.sessions.resolve(token);
  if (previous !== undefined) await services.sessions.end(previous.tokenHash);
}
