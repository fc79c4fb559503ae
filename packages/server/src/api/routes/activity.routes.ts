import { ACTIVITY_KINDS, MAX_ACTIVITY_PAGE, type ActivityEntry } from '@kinwatch/core';
import { z } from 'zod';
import { ERROR_RESPONSES, type RouteContext } from '../api-route.ts';
import { idSchema } from '../api-schemas.ts';
import { guardianOf } from '../session-cookie.ts';

const TAGS = ['activity'];

export const activityEntrySchema = z
  .object({
    id: z.number(),
    actor: z.object({
      accountId: z.string(),
      nickname: z.string().nullable().describe('As it was when they acted.'),
    }),
    kind: z.enum(ACTIVITY_KINDS),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    at: z.iso.datetime(),
  })
  .meta({ id: 'ActivityEntry' });

export function presentActivity(entry: ActivityEntry): z.infer<typeof activityEntrySchema> {
  return {
    id: entry.id,
    actor: { accountId: entry.actorId, nickname: entry.actorNickname },
    kind: entry.kind,
    details: { ...entry.details },
    at: entry.at.toISOString(),
  };
}

/** The activity log of a watch, for every guardian of it. */
export function registerActivityRoutes({ app, services, guardian }: RouteContext): void {
  app.get(
    '/api/v1/watches/:watchId/activity',
    {
      schema: {
        tags: TAGS,
        summary: 'Who did what to the watch, newest first',
        description:
          'Locate-now, commands, setting changes, history views and exports, and changes to the family and the child profile. Every guardian of the watch sees all of it.',
        params: z.strictObject({ watchId: idSchema }),
        querystring: z.strictObject({
          before: z.coerce
            .number()
            .int()
            .positive()
            .optional()
            .describe('Page: entries with a smaller id (nextBefore of the previous page).'),
          limit: z.coerce.number().int().min(1).max(MAX_ACTIVITY_PAGE).default(50),
        }),
        response: {
          200: z.object({
            entries: z.array(activityEntrySchema),
            nextBefore: z.number().nullable().describe('Null on the last page.'),
          }),
          ...ERROR_RESPONSES,
        },
      },
      preHandler: guardian,
    },
    async (request) => {
      const page = await services.activity.list(
        guardianOf(request).account.id,
        request.params.watchId,
        request.query,
      );
      return { entries: page.entries.map(presentActivity), nextBefore: page.nextBefore };
    },
  );
}
