import { DomainError } from '@kinwatch/core';
import { z } from 'zod';
import { ERROR_RESPONSES, NO_CONTENT, type RouteContext } from '../api-route.ts';
import {
  accountSchema,
  codeSchema,
  idSchema,
  invitationSchema,
  noticeSchema,
  phoneInputSchema,
  presentAccount,
  presentInvitation,
  presentNotice,
  presentSession,
  sessionSchema,
} from '../api-schemas.ts';
import { cleanImage, IMAGE_CONTENT_TYPES, sendImage } from '../image-upload.ts';
import { parseMobileNumber } from '../phone-number.ts';
import { clearSessionCookie, guardianOf } from '../session-cookie.ts';

const TAGS = ['account'];
const ACCOUNT = { 200: z.object({ account: accountSchema }), ...ERROR_RESPONSES };

/** The guardian's own account: profile, avatar, number, sessions, notices, invitations. */
export function registerMeRoutes(context: RouteContext): void {
  registerProfileRoutes(context);
  registerSessionRoutes(context);
  registerInboxRoutes(context);
}

function registerProfileRoutes({ app, services, guardian }: RouteContext): void {
  app.get(
    '/api/v1/me',
    {
      schema: { tags: TAGS, summary: 'The logged-in account', response: ACCOUNT },
      preHandler: guardian,
    },
    (request) => ({ account: presentAccount(guardianOf(request).account) }),
  );

  app.patch(
    '/api/v1/me',
    {
      schema: {
        tags: TAGS,
        summary: 'Change the nickname',
        body: z.strictObject({ nickname: z.string().trim().min(1).max(40).nullable() }),
        response: ACCOUNT,
      },
      preHandler: guardian,
    },
    async (request) => {
      const account = await services.accounts.setNickname(
        guardianOf(request).account,
        request.body.nickname,
      );
      return { account: presentAccount(account) };
    },
  );

  app.get(
    '/api/v1/me/avatar',
    { schema: { tags: TAGS, summary: "The account's avatar image" }, preHandler: guardian },
    async (request, reply) => {
      const id = guardianOf(request).account.avatarImageId;
      const image = id === null ? undefined : await services.images.find(id);
      if (image === undefined) throw new DomainError('notFound', 'noAvatar', 'There is no avatar.');
      return sendImage(reply, image);
    },
  );

  app.put(
    '/api/v1/me/avatar',
    {
      schema: {
        tags: TAGS,
        summary: 'Upload an avatar',
        description: `Raw image body (${IMAGE_CONTENT_TYPES.join(', ')}), at most 2 MiB and 4096 pixels a side. The type is checked by the bytes; metadata (EXIF with GPS, comments) is removed.`,
        consumes: IMAGE_CONTENT_TYPES,
        response: ACCOUNT,
      },
      preHandler: guardian,
    },
    async (request) => {
      const image = cleanImage(request.body);
      return {
        account: presentAccount(
          await services.accounts.setAvatar(guardianOf(request).account, image),
        ),
      };
    },
  );

  app.delete(
    '/api/v1/me/avatar',
    {
      schema: { tags: TAGS, summary: 'Remove the avatar', response: ACCOUNT },
      preHandler: guardian,
    },
    async (request) => ({
      account: presentAccount(await services.accounts.removeAvatar(guardianOf(request).account)),
    }),
  );

  app.post(
    '/api/v1/me/phone/otp',
    {
      schema: {
        tags: TAGS,
        summary: 'Start moving the account to a new number',
        description: 'Sends one code to the current number and one to the new number.',
        body: z.strictObject({ phone: phoneInputSchema }),
        response: { 202: z.object({ expiresInSeconds: z.number() }), ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      const phone = parseMobileNumber(request.body.phone);
      await services.accounts.requestPhoneChange(guardianOf(request).account, {
        phone: phone.e164,
        region: phone.region,
        clientAddress: request.ip,
      });
      return reply.status(202).send({ expiresInSeconds: 600 });
    },
  );

  app.post(
    '/api/v1/me/phone',
    {
      schema: {
        tags: TAGS,
        summary: 'Move the account to a new number with both codes',
        body: z.strictObject({
          phone: phoneInputSchema,
          currentCode: codeSchema,
          newCode: codeSchema,
        }),
        response: ACCOUNT,
      },
      preHandler: guardian,
    },
    async (request) => {
      const phone = parseMobileNumber(request.body.phone).e164;
      const account = await services.accounts.confirmPhoneChange(
        guardianOf(request),
        phone,
        request.body,
      );
      return { account: presentAccount(account) };
    },
  );
}

function registerSessionRoutes({ app, services, options, guardian }: RouteContext): void {
  app.get(
    '/api/v1/me/sessions',
    {
      schema: {
        tags: TAGS,
        summary: 'Devices logged in to the account',
        response: { 200: z.object({ sessions: z.array(sessionSchema) }), ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request) => {
      const caller = guardianOf(request);
      const sessions = await services.sessions.list(caller.account.id);
      return { sessions: sessions.map((s) => presentSession(s, caller.session.id)) };
    },
  );

  app.delete(
    '/api/v1/me/sessions/:sessionId',
    {
      schema: {
        tags: TAGS,
        summary: 'Log out one device',
        params: z.strictObject({ sessionId: idSchema }),
        response: { ...NO_CONTENT, ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      const caller = guardianOf(request);
      if (!(await services.sessions.endOne(caller.account.id, request.params.sessionId))) {
        throw new DomainError('notFound', 'sessionNotFound', 'There is no such session of yours.');
      }
      if (request.params.sessionId === caller.session.id) clearSessionCookie(reply, options);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/me/sessions/logout-everywhere',
    {
      schema: {
        tags: TAGS,
        summary: 'Log out every device, this one included',
        response: { 200: z.object({ ended: z.number() }), ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      const ended = await services.sessions.endEverywhere(guardianOf(request).account.id);
      clearSessionCookie(reply, options);
      return { ended };
    },
  );
}

function registerInboxRoutes({ app, services, guardian }: RouteContext): void {
  app.get(
    '/api/v1/me/notices',
    {
      schema: {
        tags: TAGS,
        summary: 'What the guardian was told: guardians added or removed, watches unbound...',
        response: { 200: z.object({ notices: z.array(noticeSchema) }), ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request) => {
      const notices = await services.notices.list(guardianOf(request).account.id, 200);
      return { notices: notices.map(presentNotice) };
    },
  );

  app.post(
    '/api/v1/me/notices/read',
    {
      schema: {
        tags: TAGS,
        summary: 'Mark notices read up to an id',
        body: z.strictObject({ upToId: z.number().int().positive() }),
        response: { ...NO_CONTENT, ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      await services.notices.markRead(
        guardianOf(request).account.id,
        request.body.upToId,
        services.clock.now(),
      );
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/me/invitations',
    {
      schema: {
        tags: TAGS,
        summary: "Open invitations sent to the account's number",
        response: { 200: z.object({ invitations: z.array(invitationSchema) }), ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request) => {
      const invitations = await services.family.invitationsFor(guardianOf(request).account);
      return { invitations: invitations.map(presentInvitation) };
    },
  );
}
