import { DomainError, reauthenticationRequired } from '@kinwatch/core';
import { z } from 'zod';
import { ERROR_RESPONSES, NO_CONTENT, type RouteContext } from '../api-route.ts';
import {
  guardianSchema,
  idSchema,
  invitationSchema,
  phoneInputSchema,
  presentGuardian,
  presentInvitation,
} from '../api-schemas.ts';
import { sendImage } from '../image-upload.ts';
import { parseMobileNumber } from '../phone-number.ts';
import { guardianOf } from '../session-cookie.ts';

const TAGS = ['family'];
const WATCH_PARAMS = z.strictObject({ watchId: idSchema });
const GUARDIANS = { 200: z.object({ guardians: z.array(guardianSchema) }), ...ERROR_RESPONSES };
const INVITATION = { 200: z.object({ invitation: invitationSchema }), ...ERROR_RESPONSES };

/** Guardians of a watch, the admin role, and invitations from both ends. */
export function registerFamilyRoutes(context: RouteContext): void {
  registerGuardianRoutes(context);
  registerInvitationRoutes(context);
  registerInviteeRoutes(context);
}

function registerGuardianRoutes({ app, services, guardian }: RouteContext): void {
  app.get(
    '/api/v1/watches/:watchId/guardians',
    {
      schema: {
        tags: TAGS,
        summary: 'Every guardian of the watch',
        params: WATCH_PARAMS,
        response: GUARDIANS,
      },
      preHandler: guardian,
    },
    async (request) => {
      const guardians = await services.family.guardiansOf(
        guardianOf(request).account.id,
        request.params.watchId,
      );
      return { guardians: guardians.map(presentGuardian) };
    },
  );

  app.get(
    '/api/v1/watches/:watchId/guardians/:accountId/avatar',
    {
      schema: {
        tags: TAGS,
        summary: "A fellow guardian's avatar image",
        params: z.strictObject({ watchId: idSchema, accountId: idSchema }),
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      const { watchId, accountId } = request.params;
      const guardians = await services.family.guardiansOf(guardianOf(request).account.id, watchId);
      const isFellow = guardians.some((g) => g.accountId === accountId);
      const account = isFellow ? await services.accountRepository.findById(accountId) : undefined;
      const imageId = account?.avatarImageId ?? null;
      const image = imageId === null ? undefined : await services.images.find(imageId);
      if (image === undefined) throw new DomainError('notFound', 'noAvatar', 'There is no avatar.');
      return sendImage(reply, image);
    },
  );

  app.delete(
    '/api/v1/watches/:watchId/guardians/:accountId',
    {
      schema: {
        tags: TAGS,
        summary: 'Remove a guardian (admin), or leave (yourself)',
        description: 'Every guardian of the watch is told.',
        params: z.strictObject({ watchId: idSchema, accountId: idSchema }),
        response: { ...NO_CONTENT, ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      const { watchId, accountId } = request.params;
      await services.family.removeGuardian(guardianOf(request).account.id, watchId, accountId);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/v1/watches/:watchId/admin',
    {
      schema: {
        tags: TAGS,
        summary: 'Hand the admin role to another guardian (admin, after re-authentication)',
        params: WATCH_PARAMS,
        body: z.strictObject({ accountId: idSchema }),
        response: GUARDIANS,
      },
      preHandler: guardian,
    },
    async (request) => {
      const caller = guardianOf(request);
      const { watchId } = request.params;
      await services.family.adminWatchFor(caller.account.id, watchId);
      if (!services.sessions.isRecentlyAuthenticated(caller.session))
        throw reauthenticationRequired();
      await services.family.transferAdmin(caller.account.id, watchId, request.body.accountId);
      const guardians = await services.family.guardiansOf(caller.account.id, watchId);
      return { guardians: guardians.map(presentGuardian) };
    },
  );
}

function registerInvitationRoutes({ app, services, guardian }: RouteContext): void {
  app.get(
    '/api/v1/watches/:watchId/invitations',
    {
      schema: {
        tags: TAGS,
        summary: 'Invitations to guard the watch (every guardian sees them)',
        params: WATCH_PARAMS,
        response: { 200: z.object({ invitations: z.array(invitationSchema) }), ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request) => {
      const invitations = await services.family.invitationsOf(
        guardianOf(request).account.id,
        request.params.watchId,
      );
      return { invitations: invitations.map(presentInvitation) };
    },
  );

  app.post(
    '/api/v1/watches/:watchId/invitations',
    {
      schema: {
        tags: TAGS,
        summary: 'Invite a guardian (admin), by number and by link',
        description:
          "The invitation shows in the invitee's account when a number is given, and works as a link in any case. It takes effect only when the admin approves it after it was accepted. Valid 7 days.",
        params: WATCH_PARAMS,
        body: z.strictObject({ phone: phoneInputSchema.nullable().optional() }),
        response: {
          201: z.object({
            invitation: invitationSchema,
            token: z.string().describe('Secret of the invitation link; shown once.'),
            link: z.string().describe('Path of the web app that accepts the invitation.'),
          }),
          ...ERROR_RESPONSES,
        },
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      const { phone } = request.body;
      const e164 = phone === undefined || phone === null ? null : parseMobileNumber(phone).e164;
      const { invitation, token } = await services.family.invite(
        guardianOf(request).account.id,
        request.params.watchId,
        e164,
      );
      return reply
        .status(201)
        .send({ invitation: presentInvitation(invitation), token, link: `/invite#${token}` });
    },
  );

  app.post(
    '/api/v1/watches/:watchId/invitations/:invitationId/approve',
    {
      schema: {
        tags: TAGS,
        summary: 'Approve an accepted invitation (admin): the invitee becomes a guardian',
        params: z.strictObject({ watchId: idSchema, invitationId: idSchema }),
        response: GUARDIANS,
      },
      preHandler: guardian,
    },
    async (request) => {
      const { watchId, invitationId } = request.params;
      const guardians = await services.family.approve(
        guardianOf(request).account.id,
        watchId,
        invitationId,
      );
      return { guardians: guardians.map(presentGuardian) };
    },
  );

  app.delete(
    '/api/v1/watches/:watchId/invitations/:invitationId',
    {
      schema: {
        tags: TAGS,
        summary: 'Revoke an open invitation (admin)',
        params: z.strictObject({ watchId: idSchema, invitationId: idSchema }),
        response: { ...NO_CONTENT, ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      const { watchId, invitationId } = request.params;
      await services.family.revoke(guardianOf(request).account.id, watchId, invitationId);
      return reply.status(204).send(null);
    },
  );
}

function registerInviteeRoutes({ app, services, guardian }: RouteContext): void {
  app.post(
    '/api/v1/invitations/accept',
    {
      schema: {
        tags: TAGS,
        summary: 'Accept an invitation by its link token; the admin then approves',
        body: z.strictObject({ token: z.string().min(20).max(100) }),
        response: INVITATION,
      },
      preHandler: guardian,
    },
    async (request) => {
      const invitation = await services.family.accept(guardianOf(request).account, {
        token: request.body.token,
      });
      return { invitation: presentInvitation(invitation) };
    },
  );

  app.post(
    '/api/v1/invitations/:invitationId/accept',
    {
      schema: {
        tags: TAGS,
        summary: "Accept an invitation sent to the account's number",
        params: z.strictObject({ invitationId: idSchema }),
        response: INVITATION,
      },
      preHandler: guardian,
    },
    async (request) => {
      const invitation = await services.family.accept(guardianOf(request).account, {
        invitationId: request.params.invitationId,
      });
      return { invitation: presentInvitation(invitation) };
    },
  );

  app.post(
    '/api/v1/invitations/:invitationId/decline',
    {
      schema: {
        tags: TAGS,
        summary: 'Decline an invitation',
        params: z.strictObject({ invitationId: idSchema }),
        response: { ...NO_CONTENT, ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      await services.family.decline(guardianOf(request).account, request.params.invitationId);
      return reply.status(204).send(null);
    },
  );
}
