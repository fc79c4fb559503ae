import {
  MAX_ZONE_EVENTS_PER_PAGE,
  WEEKDAYS,
  type Zone,
  type ZoneDraft,
  type ZoneEvent,
} from '@kinwatch/core';
import { z } from 'zod';
import { ERROR_RESPONSES, NO_CONTENT, type RouteContext } from '../api-route.ts';
import { idSchema } from '../api-schemas.ts';
import { guardianOf } from '../session-cookie.ts';

const TAGS = ['zones'];
const WATCH_PARAMS = z.strictObject({ watchId: idSchema });
const ZONE_PARAMS = z.strictObject({ watchId: idSchema, zoneId: idSchema });
const dateTime = z.iso.datetime();

const pointInput = z.strictObject({
  latitude: z.number().describe('WGS84 degrees, -85 to 85.'),
  longitude: z.number().describe('WGS84 degrees, -180 to 180.'),
});

const shapeInput = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('circle'),
    ...pointInput.shape,
    radiusMeters: z.number().describe('30 to 50,000.'),
  }),
  z.strictObject({
    kind: z.literal('polygon'),
    vertices: z
      .array(pointInput)
      .max(101)
      .describe(
        '3 to 100 corners; the ring closes itself (repeating the first corner is allowed).',
      ),
  }),
]);

const expectationInput = z.strictObject({
  days: z.array(z.enum(WEEKDAYS)).min(1).max(7),
  start: z.string().max(5).describe('Local time HH:MM.'),
  end: z.string().max(5).describe('Local time HH:MM, after start.'),
  timeZone: z.string().max(64).describe('IANA time zone, e.g. Europe/Berlin.'),
});

const zoneInput = z.strictObject({
  name: z.string().max(200).describe('1 to 60 characters.'),
  shape: shapeInput,
  expectations: z
    .array(expectationInput)
    .max(10)
    .optional()
    .describe(
      '"Arrive between start and end on these days"; missed when the watch was not inside.',
    ),
});

const zoneSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    shape: z.discriminatedUnion('kind', [
      z.object({
        kind: z.literal('circle'),
        latitude: z.number(),
        longitude: z.number(),
        radiusMeters: z.number(),
      }),
      z.object({
        kind: z.literal('polygon'),
        vertices: z.array(z.object({ latitude: z.number(), longitude: z.number() })),
      }),
    ]),
    expectations: z.array(
      z.object({
        days: z.array(z.enum(WEEKDAYS)),
        start: z.string(),
        end: z.string(),
        timeZone: z.string(),
      }),
    ),
    createdAt: dateTime,
    updatedAt: dateTime,
  })
  .meta({ id: 'Zone' });

const zoneEventSchema = z
  .object({
    id: z.number(),
    zoneId: z.string(),
    kind: z.enum(['enter', 'leave']),
    at: dateTime,
    isBuffered: z.boolean().describe('Reported late from the watch memory; never a live alert.'),
  })
  .meta({ id: 'ZoneEvent' });

const ZONE = { 200: z.object({ zone: zoneSchema }), ...ERROR_RESPONSES };
const ZONE_ONLY = { 200: z.object({ isZoneOnly: z.boolean() }), ...ERROR_RESPONSES };

function presentZone(zone: Zone): z.infer<typeof zoneSchema> {
  return {
    id: zone.id,
    name: zone.name,
    shape:
      zone.shape.kind === 'circle'
        ? { ...zone.shape }
        : { kind: 'polygon', vertices: [...zone.shape.vertices] },
    expectations: zone.expectations.map((e) => ({ ...e, days: [...e.days] })),
    createdAt: zone.createdAt.toISOString(),
    updatedAt: zone.updatedAt.toISOString(),
  };
}

function presentZoneEvent(event: ZoneEvent): z.infer<typeof zoneEventSchema> {
  return {
    id: event.id,
    zoneId: event.zoneId,
    kind: event.kind,
    at: event.at.toISOString(),
    isBuffered: event.isBuffered,
  };
}

function draftOf(input: z.infer<typeof zoneInput>): ZoneDraft {
  return { name: input.name, shape: input.shape, expectations: input.expectations ?? [] };
}

/** Safe zones of a watch, their arrivals and departures, and zone-only mode. */
export function registerZoneRoutes(context: RouteContext): void {
  registerZoneCollection(context);
  registerZoneItem(context);
  registerZoneHistory(context);
}

function registerZoneCollection({ app, services, guardian }: RouteContext): void {
  app.get(
    '/api/v1/watches/:watchId/zones',
    {
      schema: {
        tags: TAGS,
        summary: "The watch's safe zones",
        params: WATCH_PARAMS,
        response: { 200: z.object({ zones: z.array(zoneSchema) }), ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request) => {
      const zones = await services.zones.list(
        guardianOf(request).account.id,
        request.params.watchId,
      );
      return { zones: zones.map(presentZone) };
    },
  );

  app.post(
    '/api/v1/watches/:watchId/zones',
    {
      schema: {
        tags: TAGS,
        summary: 'Draw a safe zone (circle or polygon), optionally with expectations',
        description:
          'Refused with invalidZone when the shape is absurd (radius outside 30 m to 50 km, a border that crosses itself, no area, more than 100 km across) or a schedule ends before it starts; tooManyZones past 500 zones.',
        params: WATCH_PARAMS,
        body: zoneInput,
        response: { 201: z.object({ zone: zoneSchema }), ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      const zone = await services.zones.create(
        guardianOf(request).account.id,
        request.params.watchId,
        draftOf(request.body),
      );
      return reply.status(201).send({ zone: presentZone(zone) });
    },
  );
}

function registerZoneItem({ app, services, guardian }: RouteContext): void {
  app.get(
    '/api/v1/watches/:watchId/zones/:zoneId',
    {
      schema: { tags: TAGS, summary: 'One safe zone', params: ZONE_PARAMS, response: ZONE },
      preHandler: guardian,
    },
    async (request) => {
      const { watchId, zoneId } = request.params;
      return {
        zone: presentZone(
          await services.zones.get(guardianOf(request).account.id, watchId, zoneId),
        ),
      };
    },
  );

  app.put(
    '/api/v1/watches/:watchId/zones/:zoneId',
    {
      schema: {
        tags: TAGS,
        summary: "Replace a zone's name, shape and expectations",
        params: ZONE_PARAMS,
        body: zoneInput,
        response: ZONE,
      },
      preHandler: guardian,
    },
    async (request) => {
      const { watchId, zoneId } = request.params;
      const zone = await services.zones.update(
        guardianOf(request).account.id,
        watchId,
        zoneId,
        draftOf(request.body),
      );
      return { zone: presentZone(zone) };
    },
  );

  app.delete(
    '/api/v1/watches/:watchId/zones/:zoneId',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete a zone with its arrivals and departures',
        params: ZONE_PARAMS,
        response: { ...NO_CONTENT, ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      const { watchId, zoneId } = request.params;
      await services.zones.remove(guardianOf(request).account.id, watchId, zoneId);
      return reply.status(204).send(null);
    },
  );
}

function registerZoneHistory({ app, services, guardian }: RouteContext): void {
  app.get(
    '/api/v1/watches/:watchId/zone-events',
    {
      schema: {
        tags: TAGS,
        summary: 'Arrivals and departures, newest first',
        description:
          'From `from` (inclusive, default 7 days before `to`) to `to` (exclusive, default now); at most 366 days.',
        params: WATCH_PARAMS,
        querystring: z.strictObject({
          from: dateTime.optional(),
          to: dateTime.optional(),
          zoneId: idSchema.optional(),
          limit: z.coerce.number().int().min(1).max(MAX_ZONE_EVENTS_PER_PAGE).optional(),
        }),
        response: { 200: z.object({ events: z.array(zoneEventSchema) }), ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request) => {
      const { from, to, zoneId, limit } = request.query;
      const events = await services.zones.events(
        guardianOf(request).account.id,
        request.params.watchId,
        {
          ...(from === undefined ? {} : { from: new Date(from) }),
          ...(to === undefined ? {} : { to: new Date(to) }),
          ...(zoneId === undefined ? {} : { zoneId }),
          ...(limit === undefined ? {} : { limit }),
        },
      );
      return { events: events.map(presentZoneEvent) };
    },
  );

  app.get(
    '/api/v1/watches/:watchId/zone-only',
    {
      schema: {
        tags: TAGS,
        summary: 'Whether the watch keeps arrivals and departures only, without a trail',
        params: WATCH_PARAMS,
        response: ZONE_ONLY,
      },
      preHandler: guardian,
    },
    async (request) => ({
      isZoneOnly: await services.zones.zoneOnlyFor(
        guardianOf(request).account.id,
        request.params.watchId,
      ),
    }),
  );

  app.put(
    '/api/v1/watches/:watchId/zone-only',
    {
      schema: {
        tags: TAGS,
        summary: 'Switch zone-only mode: store arrivals and departures but no trail',
        params: WATCH_PARAMS,
        body: z.strictObject({ isZoneOnly: z.boolean() }),
        response: ZONE_ONLY,
      },
      preHandler: guardian,
    },
    async (request) => ({
      isZoneOnly: await services.zones.setZoneOnly(
        guardianOf(request).account.id,
        request.params.watchId,
        request.body.isZoneOnly,
      ),
    }),
  );
}
