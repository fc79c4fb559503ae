import {
  EXPORT_MEDIA_TYPES,
  MAX_HISTORY_PAGE,
  MAX_RANGE_DAYS,
  POSITION_EXPORT_FORMATS,
  POSITION_FLAGS,
  POSITION_SOURCES,
  geoJsonDocument,
  gpxDocument,
  resolveRange,
  type Position,
} from '@kinwatch/core';
import { z } from 'zod';
import { ERROR_RESPONSES, type RouteContext } from '../api-route.ts';
import { idSchema } from '../api-schemas.ts';
import { guardianOf } from '../session-cookie.ts';
import { closePositionPage, openPositionPage } from './position-json.ts';

const TAGS = ['location'];
const WATCH_PARAMS = z.strictObject({ watchId: idSchema });
const dateTime = z.iso.datetime();

export const positionSchema = z
  .object({
    recordedAt: dateTime.describe("Device time of the fix (the watch's clock)."),
    receivedAt: dateTime.describe('When the server received the report.'),
    source: z.enum(POSITION_SOURCES).describe('gps, wifi or cell; none: the watch was not placed.'),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    accuracyMeters: z.number().nullable().describe('Radius of the likely area; null if unknown.'),
    speedKmh: z.number().nullable(),
    courseDegrees: z.number().nullable(),
    altitudeMeters: z.number().nullable(),
    isBuffered: z.boolean().describe('Reported late from the watch memory (history only).'),
    flags: z.array(z.enum(POSITION_FLAGS)).describe('Plausibility findings.'),
  })
  .meta({ id: 'Position' });

/** The schema's fields only: the watch id is in the path. */
export function presentPosition(position: Position): z.infer<typeof positionSchema> {
  return {
    recordedAt: position.recordedAt.toISOString(),
    receivedAt: position.receivedAt.toISOString(),
    source: position.source,
    latitude: position.latitude,
    longitude: position.longitude,
    accuracyMeters: position.accuracyMeters,
    speedKmh: position.speedKmh,
    courseDegrees: position.courseDegrees,
    altitudeMeters: position.altitudeMeters,
    isBuffered: position.isBuffered,
    flags: [...position.flags],
  };
}

const rangeQuery = {
  from: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Start of the range (device time), inclusive; a day before `to` by default.'),
  to: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('End of the range, exclusive; now by default.'),
};

const RANGE_RULES = `The range spans at most ${MAX_RANGE_DAYS} days (else 400 rangeTooLarge) and must not be reversed (400 invalidRange). The view is recorded in the watch's activity log.`;

function rangeOf(
  query: { readonly from?: string | undefined; readonly to?: string | undefined },
  now: Date,
) {
  const at = (text: string | undefined) => (text === undefined ? undefined : new Date(text));
  return resolveRange(at(query.from), at(query.to), now);
}

/** Where the watch is, locate-now, and where it was: pages, a track, an export. */
export function registerLocationRoutes(context: RouteContext): void {
  registerCurrentLocation(context);
  registerHistory(context);
  registerExport(context);
}

function registerCurrentLocation({ app, services, guardian }: RouteContext): void {
  const staleMinutes = services.locations.staleAfterSeconds / 60;
  app.get(
    '/api/v1/watches/:watchId/location',
    {
      schema: {
        tags: TAGS,
        summary: 'The latest position of the watch, and whether it is stale',
        description: `The newest live fix with coordinates (buffered history is never shown as current). isStale: older than ${String(staleMinutes)} minutes (the server's setting). 404 noPosition when the watch has never been placed.`,
        params: WATCH_PARAMS,
        response: {
          200: z.object({
            position: positionSchema,
            isStale: z.boolean(),
            staleAfterSeconds: z.number(),
          }),
          ...ERROR_RESPONSES,
        },
      },
      preHandler: guardian,
    },
    async (request) => {
      const { position, isStale } = await services.locations.latest(
        guardianOf(request).account.id,
        request.params.watchId,
      );
      return {
        position: presentPosition(position),
        isStale,
        staleAfterSeconds: services.locations.staleAfterSeconds,
      };
    },
  );

  app.post(
    '/api/v1/watches/:watchId/locate',
    {
      schema: {
        tags: TAGS,
        summary: 'Ask the watch for its position now',
        description:
          'Queues the locate command (it waits for an offline watch); the fix arrives later like any report. At most one per watch every 10 seconds (429 tooManyLocates). Recorded in the activity log.',
        params: WATCH_PARAMS,
        // Fastify hands a request without a body to validation as null.
        body: z.strictObject({}).nullish(),
        response: { 202: z.object({ commandId: z.number() }), ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      const commandId = await services.locations.locate(
        guardianOf(request).account,
        request.params.watchId,
      );
      return reply.status(202).send({ commandId });
    },
  );
}

const HISTORY_PAGE = z.object({
  positions: z.array(positionSchema),
  nextCursor: z.string().nullable().describe('Null on the last page.'),
});

function registerHistory({ app, services, guardian }: RouteContext): void {
  app.get(
    '/api/v1/watches/:watchId/positions',
    {
      schema: {
        tags: TAGS,
        summary: 'Positions in a time range, oldest first, in pages',
        description: `${RANGE_RULES} Pass nextCursor back as cursor for the next page.`,
        params: WATCH_PARAMS,
        querystring: z.strictObject({
          ...rangeQuery,
          cursor: z.string().max(40).optional().describe('nextCursor of the previous page.'),
          limit: z.coerce.number().int().min(1).max(MAX_HISTORY_PAGE).default(500),
        }),
        response: { 200: HISTORY_PAGE, ...ERROR_RESPONSES },
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      const { cursor, limit } = request.query;
      // Written directly, not checked against the schema on the way out: for a day of positions
      // that took longer than reading and opening them (bench/history.bench.ts). The writers'
      // tests hold the bytes to the schema's fields. Fastify sends a Buffer as it is, with its
      // length; its type for the body only knows the object form.
      const json = openPositionPage();
      const page = await services.locations.history(
        guardianOf(request).account,
        request.params.watchId,
        {
          range: rangeOf(request.query, services.clock.now()),
          limit,
          ...(cursor === undefined ? {} : { cursor }),
        },
        json,
      );
      const body = closePositionPage(json, page.nextCursor);
      return reply
        .type('application/json; charset=utf-8')
        .send(body as unknown as z.infer<typeof HISTORY_PAGE>);
    },
  );

  app.get(
    '/api/v1/watches/:watchId/track',
    {
      schema: {
        tags: TAGS,
        summary: 'A simplified track of a time range, for playback',
        description: `The located positions of the range, without those flagged as impossible jumps, simplified so that the line stays within toleranceMeters of the recorded one. ${RANGE_RULES}`,
        params: WATCH_PARAMS,
        querystring: z.strictObject({
          ...rangeQuery,
          toleranceMeters: z.coerce.number().min(0).max(1000).default(10),
        }),
        response: {
          200: z.object({
            points: z.array(positionSchema),
            sourcePoints: z.number().describe('Located positions before simplification.'),
          }),
          ...ERROR_RESPONSES,
        },
      },
      preHandler: guardian,
    },
    async (request) => {
      const track = await services.locations.track(
        guardianOf(request).account,
        request.params.watchId,
        rangeOf(request.query, services.clock.now()),
        request.query.toleranceMeters,
      );
      return { points: track.points.map(presentPosition), sourcePoints: track.sourcePoints };
    },
  );
}

function registerExport({ app, services, guardian }: RouteContext): void {
  app.get(
    '/api/v1/watches/:watchId/positions/export',
    {
      schema: {
        tags: TAGS,
        summary: 'Download the positions of a time range as GPX 1.1 or GeoJSON',
        description: `An attachment: application/gpx+xml or application/geo+json. Positions without coordinates are left out. ${RANGE_RULES.replace('activity log', 'activity log as an export')}`,
        params: WATCH_PARAMS,
        querystring: z.strictObject({ ...rangeQuery, format: z.enum(POSITION_EXPORT_FORMATS) }),
        produces: Object.values(EXPORT_MEDIA_TYPES),
        response: {
          200: z.string().describe('The GPX or GeoJSON document.'),
          ...ERROR_RESPONSES,
        },
      },
      preHandler: guardian,
    },
    async (request, reply) => {
      const { format } = request.query;
      const now = services.clock.now();
      const { watch, positions } = await services.locations.exportRange(
        guardianOf(request).account,
        request.params.watchId,
        rangeOf(request.query, now),
        format,
      );
      const heading = { name: watch.child?.name ?? 'Kinwatch', createdAt: now };
      const body =
        format === 'gpx' ? gpxDocument(heading, positions) : geoJsonDocument(heading, positions);
      const day = now.toISOString().slice(0, 10);
      return reply
        .header('content-type', `${EXPORT_MEDIA_TYPES[format]}; charset=utf-8`)
        .header('content-disposition', `attachment; filename="positions-${day}.${format}"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(body);
    },
  );
}
