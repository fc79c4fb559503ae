import { DomainError } from '@kinwatch/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  DEFAULT_AVATAR_LIMITS,
  ImageRejectedError,
  sanitizeAvatar,
} from './images/avatar-image.ts';

/** Content types an avatar upload may declare; the bytes decide what it really is. */
export const IMAGE_CONTENT_TYPES = ['image/png', 'image/jpeg', 'image/webp'];

/** Lets the API take raw image bodies, up to the avatar size limit. */
export function acceptImageBodies(app: FastifyInstance): void {
  app.addContentTypeParser(
    IMAGE_CONTENT_TYPES,
    { parseAs: 'buffer', bodyLimit: DEFAULT_AVATAR_LIMITS.maxBytes },
    (_request, body, done) => {
      done(null, body);
    },
  );
}

/** Checks an uploaded image by its bytes and strips its metadata, or refuses it clearly. */
export function cleanImage(body: unknown): { mediaType: string; bytes: Uint8Array } {
  if (!(body instanceof Uint8Array) || body.length === 0) {
    throw new DomainError(
      'invalid',
      'imageRequired',
      `Send the image as the request body with Content-Type ${IMAGE_CONTENT_TYPES.join(', ')}.`,
    );
  }
  try {
    const image = sanitizeAvatar(body);
    return { mediaType: image.mediaType, bytes: image.bytes };
  } catch (error) {
    if (!(error instanceof ImageRejectedError)) throw error;
    const kind = error.reason === 'tooLarge' ? 'tooLarge' : 'invalid';
    throw new DomainError(kind, 'imageRejected', error.message);
  }
}

/** Sends stored image bytes; they were re-checked at upload, and may not be sniffed as HTML. */
export function sendImage(reply: FastifyReply, image: { mediaType: string; bytes: Uint8Array }) {
  return reply
    .header('content-type', image.mediaType)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, max-age=300')
    .send(Buffer.from(image.bytes));
}
