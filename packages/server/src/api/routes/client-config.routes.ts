import { z } from 'zod';
import { ERROR_RESPONSES, type RouteContext } from '../api-route.ts';

const clientConfigSchema = z.object({
  map: z.object({
    tileUrl: z
      .string()
      .nullable()
      .describe('Street tile URL template ({z}/{x}/{y}); null: the offline world map only.'),
    tileAttribution: z.string().nullable(),
  }),
  isDemoEnabled: z.boolean().describe('Whether "try the demo" is offered.'),
  locationStaleAfterSeconds: z
    .number()
    .describe('A latest position older than this is shown as stale.'),
});

/** What the web app needs to know about this server before anyone logs in. */
export function registerClientConfigRoutes({ app, services, options }: RouteContext): void {
  app.get(
    '/api/v1/client-config',
    {
      schema: {
        tags: ['app'],
        summary: "This server's settings for the web app",
        description:
          "Public, no session needed: holds nothing about any family. The map tile URL is the operator's choice; with none, the app shows its bundled offline map.",
        response: { 200: clientConfigSchema, ...ERROR_RESPONSES },
      },
    },
    () => ({
      map: {
        tileUrl: options.mapTileUrl ?? null,
        tileAttribution: options.mapTileAttribution ?? null,
      },
      isDemoEnabled: services.demo !== undefined,
      locationStaleAfterSeconds: services.locations.staleAfterSeconds,
    }),
  );
}
