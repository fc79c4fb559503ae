import { DomainError, type ResolvedSession, type SessionService } from '@kinwatch/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiOptions } from './api-services.ts';

export const SESSION_COOKIE = 'kinwatch_session';
const SESSION_COOKIE_MAX_AGE_SECONDS = 30 * 86_400;

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in guardian, set by `requireGuardian`. */
    guardian: ResolvedSession | null;
  }
}

/** The client as a session records it. */
export function clientOf(request: FastifyRequest): { userAgent: string; address: string } {
  return { userAgent: request.headers['user-agent'] ?? '', address: request.ip };
}

/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Lax (a cross-site form or
 * fetch does not carry it on POST), Secure when the server is behind HTTPS, whole site.
 */
export function setSessionCookie(reply: FastifyReply, token: string, options: ApiOptions): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: options.isCookieSecure,
    path: '/',
    maxAge: SESSION_COOKIE_MAX_AGE_SECONDS,
  });
}

export function clearSessionCookie(reply: FastifyReply, options: ApiOptions): void {
  void reply.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'lax',
    secure: options.isCookieSecure,
    path: '/',
  });
}

export function unauthenticated(): DomainError {
  return new DomainError('unauthenticated', 'unauthenticated', 'Log in first.');
}

/** A preHandler that lets only a logged-in guardian through and sets `request.guardian`. */
export function guardianRequired(sessions: SessionService) {
  return async (request: FastifyRequest): Promise<void> => {
    const token = request.cookies[SESSION_COOKIE];
    const resolved =
      token === undefined || token === '' ? undefined : await sessions.resolve(token);
    if (resolved === undefined) throw unauthenticated();
    request.guardian = resolved;
  };
}

/** The guardian of a request that passed `guardianRequired`. */
export function guardianOf(request: FastifyRequest): ResolvedSession {
  if (request.guardian === null) throw unauthenticated();
  return request.guardian;
}
