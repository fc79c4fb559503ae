import { DomainError } from '@kinwatch/core';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { ERROR_RESPONSES, type RouteContext } from '../api-route.ts';
import { guardianOf } from '../session-cookie.ts';
import type { StreamHub } from '../stream/stream-hub.ts';

const STREAM_DESCRIPTION = `A WebSocket (upgrade this GET; the session cookie authenticates) that sends the events of the caller's watches as JSON text messages:

- \`{"type":"hello","watchIds":[…],"lastEventId":n}\` first;
- \`{"type":"position","watchId","position":{…}}\` when a position is stored;
- \`{"type":"status",…}\` when a watch's status changes;
- \`{"type":"alarmReceived","watchId","alertKinds":[…],"recordedAt","receivedAt","location"}\` when a live alarm that raises alerts (an SOS…) is read from the watch, before it is stored; its stored alerts follow as \`alert\` messages with the same recordedAt and, as raisedAt, this receivedAt. Not replayed on resume;
- \`{"type":"alert","watchId","eventId","change":"raised"|"repeated"|"acknowledged","alert":{…}}\`;
- \`{"type":"commandProgress","commandId","commandType","status","at"}\`.

To resume after a dropped connection without losing alerts, reconnect with \`?since=<the last eventId received>\` (or the hello's lastEventId): the alert events after it are sent first. A client that does not read is closed with code 4008 and may resume the same way.`;

/** The live stream of a guardian's watches. */
export function registerStreamRoutes({ app, guardian }: RouteContext, hub: StreamHub): void {
  app.route({
    method: 'GET',
    url: '/api/v1/stream',
    schema: {
      tags: ['live'],
      summary: "Live events of the caller's watches (WebSocket)",
      description: STREAM_DESCRIPTION,
      querystring: z.strictObject({
        since: z.coerce
          .number()
          .int()
          .min(0)
          .optional()
          .describe('Alert event id to resume after.'),
      }),
      response: { ...ERROR_RESPONSES },
    },
    preHandler: guardian,
    handler: () => {
      throw new DomainError(
        'invalid',
        'upgradeRequired',
        'This route is a WebSocket: send an Upgrade request.',
      );
    },
    wsHandler: (socket: WebSocket, request) => {
      const caller = guardianOf(request);
      const { since } = request.query;
      let disconnect: (() => void) | undefined;
      let isClosed = false;
      socket.on('close', () => {
        isClosed = true;
        disconnect?.();
      });
      socket.on('error', () => undefined);
      // Clients have nothing to say on this stream; whatever they send is ignored.
      socket.on('message', () => undefined);
      void hub.connect(caller.account.id, socket, since).then(
        (done) => {
          if (isClosed) done();
          else disconnect = done;
        },
        () => {
          socket.close(1011, 'stream could not start');
        },
      );
    },
  });
}
