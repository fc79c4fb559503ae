import { DomainError, reauthenticationRequired } from '@kinwatch/core';
import { z } from 'zod';
import { ERROR_RESPONSES, NO_CONTENT, type RouteContext } from '../api-route.ts';
import { codeSchema, idSchema, presentWatch, watchSchema } from '../api-schemas.ts';
import { cleanImage, IMAGE_CONTENT_TYPES, sendImage } from '../image-upload.ts';
import { parseMobileNumber } from '../phone-number.ts';
import { guardianOf } from '../session-cookie.ts';

const TAGS = ['watches'];
const WATCH = { 200: z.object({ watch: watchSchema }), ...ERROR_RESPONSES };
const WATCH_PARAMS = z.strictObject({ watchId: idSchema });

const childInput = {
  childName: z.string().trim().min(1).max(40),
  birthDate: z.iso.date().nullable().optional().describe('YYYY-MM-DD'),
  watchPhone: z
    .string()
    .max(32)
    .nullable()
    .optional()
    .describe("The watch SIM's number, international form."),
};

function childOf(input: {
  childName: string;
  birthDate?: string | null | undefined;
  watchPhone?: string | null | undefined;
}) {
  const birthDate = input.birthDate ?? null;
  if (birthDate !== null && new Date(`${birthDate}T00:00:00Z`) > new Date()) {
    throw new DomainError('invalid', 'invalidBirthDate', 'birthDate: cannot be in the future.');
  }
  const watchPhone =
    input.watchPhone === undefined || input.watchPhone === null
      ? null
      : parseMobileNumber(input.watchPhone, 'watchPhone').e164;
  return { name: input.childName, birthDate, watchPhone };
}

/** Binding a watch with the code it shows, the caller's watches, the child, unbinding. */
export function registerWatchRoutes(context: RouteContext): void {
  registerClaimRoutes(context);
  registerWatchReads(context);
  registerChildRoutes(context);
}

function registerClaimRoutes({ app, services, guardian }: RouteContext): void {
  app.post(
    '/api/v1/watches/claims',
    {
      schema: {
        tags: TAGS,
        summary: 'Start binding a watch: a code appears on its screen',
        description:
          'The watch must have connected to this server. The code is valid 10 minutes; a watch that already belongs to a family cannot be claimed (ask its admin for an invitation).',
        body: z.strictObject({
          deviceId: z
            .string()
            .trim()
            .min(1)
            .max(40)
            .describe('The id the watch shows (its QR code or settings screen).'),
        }),
        response: {
          201: z.object({ claimId: z.string(), expiresAt: z.iso.datetime() }),
          ...ERROR_RESPONSES,
        },
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      const claim = await services.claims.start(
        guardianOf(request).account.id,
        request.body.deviceId,
      );
      return reply
        .status(201)
        .send({ claimId: claim.claimId, expiresAt: claim.expiresAt.toISOString() });
    },
  );

  app.post(
    '/api/v1/watches/claims/:claimId/confirm',
    {
      schema: {
        tags: TAGS,
        summary: 'Finish binding with the code the watch shows; the caller becomes its admin',
        params: z.strictObject({ claimId: idSchema }),
        body: z.strictObject({ code: codeSchema, ...childInput }),
        response: { 201: z.object({ watch: watchSchema }), ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      const { code, ...child } = request.body;
      const watch = await services.claims.confirm(
        guardianOf(request).account.id,
        request.params.claimId,
        code,
        {
          ...childOf(child),
          avatarImageId: null,
        },
      );
      return reply.status(201).send({ watch: presentWatch(watch) });
    },
  );
}

function registerWatchReads({ app, services, guardian }: RouteContext): void {
  app.get(
    '/api/v1/watches',
    {
      schema: {
        tags: TAGS,
        summary: "The caller's watches",
        response: { 200: z.object({ watches: z.array(watchSchema) }), ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request) => {
      const watches = await services.family.watchesOf(guardianOf(request).account.id);
      return { watches: watches.map(presentWatch) };
    },
  );

  app.get(
    '/api/v1/watches/:watchId',
    {
      schema: {
        tags: TAGS,
        summary: "One of the caller's watches",
        params: WATCH_PARAMS,
        response: WATCH,
      },
      preHandler: guardian,
    },
    async (request) => ({
      watch: presentWatch(
        await services.family.watchFor(guardianOf(request).account.id, request.params.watchId),
      ),
    }),
  );

  app.delete(
    '/api/v1/watches/:watchId',
    {
      schema: {
        tags: TAGS,
        summary: 'Unbind the watch (admin, after re-authentication)',
        description:
          'Every guardian is told; then everything stored about the watch is deleted and its data key destroyed.',
        params: WATCH_PARAMS,
        response: { ...NO_CONTENT, ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      const caller = guardianOf(request);
      await services.family.adminWatchFor(caller.account.id, request.params.watchId);
      if (!services.sessions.isRecentlyAuthenticated(caller.session))
        throw reauthenticationRequired();
      await services.family.unbind(caller.account.id, request.params.watchId);
      return reply.status(204).send(null);
    },
  );
}

function registerChildRoutes({ app, services, guardian }: RouteContext): void {
  app.put(
    '/api/v1/watches/:watchId/child',
    {
      schema: {
        tags: TAGS,
        summary: "Change the child's profile",
        params: WATCH_PARAMS,
        body: z.strictObject(childInput),
        response: WATCH,
      },
      preHandler: guardian,
    },
    async (request) => {
      const watch = await services.family.updateChild(
        guardianOf(request).account.id,
        request.params.watchId,
        childOf(request.body),
      );
      return { watch: presentWatch(watch) };
    },
  );

  app.get(
    '/api/v1/watches/:watchId/child/avatar',
    {
      schema: { tags: TAGS, summary: "The child's avatar image", params: WATCH_PARAMS },
      preHandler: guardian,
    },
    async (request, reply) => {
      const image = await services.family.childAvatar(
        guardianOf(request).account.id,
        request.params.watchId,
      );
      if (image === undefined) throw new DomainError('notFound', 'noAvatar', 'There is no avatar.');
      return sendImage(reply, image);
    },
  );

  app.put(
    '/api/v1/watches/:watchId/child/avatar',
    {
      schema: {
        tags: TAGS,
        summary: "Upload the child's avatar",
        description: `Raw image body (${IMAGE_CONTENT_TYPES.join(', ')}); checked by its bytes, metadata removed.`,
        consumes: IMAGE_CONTENT_TYPES,
        params: WATCH_PARAMS,
        response: WATCH,
      },
      preHandler: guardian,
    },
    async (request) => {
      const image = cleanImage(request.body);
      const watch = await services.family.setChildAvatar(
        guardianOf(request).account.id,
        request.params.watchId,
        image,
      );
      return { watch: presentWatch(watch) };
    },
  );
}
