import type { Alert } from '@kinwatch/core';
import { z } from 'zod';
import { ERROR_RESPONSES, type RouteContext } from '../api-route.ts';
import { idSchema } from '../api-schemas.ts';
import { guardianOf } from '../session-cookie.ts';

const TAGS = ['alerts'];

export const alertSchema = z
  .object({
    id: z.number(),
    watchId: z.string(),
    kind: z.string(),
    raisedAt: z.iso.datetime(),
    recordedAt: z.iso.datetime().nullable(),
    location: z
      .object({
        latitude: z.number(),
        longitude: z.number(),
        accuracyMeters: z.number().nullable(),
        source: z.string(),
      })
      .nullable(),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
    acknowledgedAt: z.iso.datetime().nullable(),
    acknowledgedBy: z.string().nullable(),
  })
  .meta({ id: 'Alert' });

export function presentAlert(alert: Alert): z.infer<typeof alertSchema> {
  return {
    id: alert.id,
    watchId: alert.watchId,
    kind: alert.kind,
    raisedAt: alert.raisedAt.toISOString(),
    recordedAt: alert.recordedAt?.toISOString() ?? null,
    location: alert.location,
    details: { ...alert.details },
    acknowledgedAt: alert.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: alert.acknowledgedBy,
  };
}

/** The alerts of a watch and their acknowledgement. */
export function registerAlertRoutes({ app, services, guardian }: RouteContext): void {
  app.get(
    '/api/v1/watches/:watchId/alerts',
    {
      schema: {
        tags: TAGS,
        summary: "The watch's alerts, newest first",
        params: z.strictObject({ watchId: idSchema }),
        querystring: z.strictObject({
          before: z.coerce
            .number()
            .int()
            .positive()
            .optional()
            .describe('Page: alerts with a smaller id.'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: z.object({ alerts: z.array(alertSchema) }), ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request) => {
      const { before, limit } = request.query;
      const alerts = await services.alerts.list(
        guardianOf(request).account.id,
        request.params.watchId,
        {
          ...(before === undefined ? {} : { beforeId: before }),
          limit,
        },
      );
      return { alerts: alerts.map(presentAlert) };
    },
  );

  app.post(
    '/api/v1/watches/:watchId/alerts/:alertId/acknowledge',
    {
      schema: {
        tags: TAGS,
        summary: 'Acknowledge an alert; the other guardians see who did',
        description: 'An SOS is sent again every 30 seconds until one guardian acknowledges it.',
        params: z.strictObject({ watchId: idSchema, alertId: z.coerce.number().int().positive() }),
        response: { 200: z.object({ alert: alertSchema }), ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request) => {
      const { watchId, alertId } = request.params;
      const alert = await services.alerts.acknowledge(
        guardianOf(request).account.id,
        watchId,
        alertId,
      );
      return { alert: presentAlert(alert) };
    },
  );
}
