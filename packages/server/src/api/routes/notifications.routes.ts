import {
  ALERT_KINDS,
  MAX_EMAIL_LENGTH,
  MAX_PUSH_ENDPOINT_LENGTH,
  type AlertKind,
  type NotificationSettingsView,
} from '@kinwatch/core';
import { z } from 'zod';
import { ERROR_RESPONSES, NO_CONTENT, type RouteContext } from '../api-route.ts';
import { codeSchema } from '../api-schemas.ts';
import { guardianOf } from '../session-cookie.ts';

const TAGS = ['notifications'];

const channelChoiceSchema = z
  .strictObject({ push: z.boolean(), email: z.boolean() })
  .meta({ id: 'ChannelChoice' });

const preferencesSchema = z
  .object(
    Object.fromEntries(ALERT_KINDS.map((kind) => [kind, channelChoiceSchema])) as Record<
      AlertKind,
      typeof channelChoiceSchema
    >,
  )
  .describe(
    'Per alert kind, the channels that reach the guardian. SOS is always on every channel.',
  );

const settingsSchema = z
  .object({
    preferences: preferencesSchema,
    email: z.string().nullable().describe('Where alert e-mails go; null when none.'),
    pendingEmail: z
      .string()
      .nullable()
      .describe('An address waiting for its code; null when none.'),
    pushSubscriptions: z.number().describe('Browsers of this account subscribed to Web Push.'),
    available: z
      .object({ push: z.boolean(), email: z.boolean() })
      .describe('The channels this server offers.'),
  })
  .meta({ id: 'NotificationSettings' });

const SETTINGS = { 200: z.object({ settings: settingsSchema }), ...ERROR_RESPONSES };

function present(view: NotificationSettingsView): { settings: z.infer<typeof settingsSchema> } {
  return { settings: { ...view, preferences: { ...view.preferences } } };
}

const endpointSchema = z
  .string()
  .min(1)
  .max(MAX_PUSH_ENDPOINT_LENGTH)
  .describe('The push service URL of the browser.');

/** Which alerts reach the guardian how: preferences, e-mail address, browsers' push subscriptions. */
export function registerNotificationRoutes(context: RouteContext): void {
  registerPreferenceRoutes(context);
  registerPushRoutes(context);
}

function registerPreferenceRoutes({ app, services, guardian }: RouteContext): void {
  app.get(
    '/api/v1/me/notification-preferences',
    {
      schema: { tags: TAGS, summary: 'Which alerts reach the guardian how', response: SETTINGS },
      preHandler: guardian,
    },
    async (request) =>
      present(await services.notificationSettings.view(guardianOf(request).account.id)),
  );

  app.put(
    '/api/v1/me/notification-preferences',
    {
      schema: {
        tags: TAGS,
        summary: 'Choose the channels of some alert kinds',
        description:
          'Kinds left out keep their choice. By default every kind goes by push and none by e-mail. A choice for sos is ignored: an SOS reaches every guardian by every channel they have set up.',
        body: z.strictObject({
          preferences: z.strictObject(
            Object.fromEntries(
              ALERT_KINDS.map((kind) => [kind, channelChoiceSchema.optional()]),
            ) as Record<AlertKind, z.ZodOptional<typeof channelChoiceSchema>>,
          ),
        }),
        response: SETTINGS,
      },
      preHandler: guardian,
    },
    async (request) =>
      present(
        await services.notificationSettings.setPreferences(
          guardianOf(request).account.id,
          request.body.preferences,
        ),
      ),
  );

  app.put(
    '/api/v1/me/email',
    {
      schema: {
        tags: TAGS,
        summary: 'Give the address alert e-mails should go to',
        description:
          'Sends a 6-digit code to the address; it takes effect when the code comes back to /api/v1/me/email/confirm within 10 minutes. At most 5 codes a day. Alert e-mails carry no location.',
        body: z.strictObject({ email: z.string().min(3).max(MAX_EMAIL_LENGTH) }),
        response: { 202: z.object({ expiresInSeconds: z.number() }), ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      await services.notificationSettings.requestEmail(
        guardianOf(request).account.id,
        request.body.email,
      );
      return reply.status(202).send({ expiresInSeconds: 600 });
    },
  );

  app.post(
    '/api/v1/me/email/confirm',
    {
      schema: {
        tags: TAGS,
        summary: 'Confirm the address with the code sent to it',
        body: z.strictObject({ code: codeSchema }),
        response: SETTINGS,
      },
      preHandler: guardian,
    },
    async (request) =>
      present(
        await services.notificationSettings.confirmEmail(
          guardianOf(request).account.id,
          request.body.code,
        ),
      ),
  );

  app.delete(
    '/api/v1/me/email',
    {
      schema: {
        tags: TAGS,
        summary: 'Remove the e-mail address (and one waiting for its code)',
        response: SETTINGS,
      },
      preHandler: guardian,
    },
    async (request) =>
      present(await services.notificationSettings.removeEmail(guardianOf(request).account.id)),
  );
}

function registerPushRoutes({ app, services, guardian }: RouteContext): void {
  app.get(
    '/api/v1/push/public-key',
    {
      schema: {
        tags: TAGS,
        summary: "The server's Web Push key (applicationServerKey)",
        response: {
          200: z.object({ publicKey: z.string().describe('VAPID public key, base64url.') }),
          ...ERROR_RESPONSES,
        },
      },
      preHandler: guardian,
    },
    () => ({ publicKey: services.notificationSettings.applicationServerKey() }),
  );

  app.post(
    '/api/v1/me/push-subscriptions',
    {
      schema: {
        tags: TAGS,
        summary: 'Subscribe this browser to alerts by Web Push',
        description:
          "The browser's PushSubscription as JSON. The endpoint must be https. Subscribing a browser again replaces its keys; a browser subscribed by another account moves to this one.",
        body: z.strictObject({
          endpoint: endpointSchema,
          expirationTime: z.number().nullable().optional().describe('Ignored.'),
          keys: z.strictObject({
            p256dh: z.string().min(1).max(200),
            auth: z.string().min(1).max(100),
          }),
        }),
        response: {
          201: z.object({ endpoint: z.string(), createdAt: z.iso.datetime() }),
          ...ERROR_RESPONSES,
        },
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      const { endpoint, keys } = request.body;
      const stored = await services.notificationSettings.subscribePush(
        guardianOf(request).account.id,
        { endpoint, keys },
      );
      return reply
        .status(201)
        .send({ endpoint: stored.endpoint, createdAt: stored.createdAt.toISOString() });
    },
  );

  app.delete(
    '/api/v1/me/push-subscriptions',
    {
      schema: {
        tags: TAGS,
        summary: 'Unsubscribe a browser of this account',
        description: 'Answers 204 whether or not the account had that subscription.',
        body: z.strictObject({ endpoint: endpointSchema }),
        response: { ...NO_CONTENT, ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      await services.notificationSettings.unsubscribePush(
        guardianOf(request).account.id,
        request.body.endpoint,
      );
      return reply.status(204).send(null);
    },
  );
}
