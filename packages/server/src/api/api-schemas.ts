import type {
  Account,
  GuardedWatch,
  Guardian,
  Invitation,
  Notice,
  SessionRecord,
} from '@kinwatch/core';
import { z } from 'zod';

/** Random, URL-safe ids as the server makes them (16 bytes, base64url). */
export const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,64}$/, 'not an id of this server')
  .describe('Random opaque id.');

export const phoneInputSchema = z
  .string()
  .min(3)
  .max(32)
  .describe('Mobile number in international form, e.g. +1 202 555 0143.');

export const codeSchema = z
  .string()
  .regex(/^[0-9]{6}$/, 'a code is 6 digits')
  .describe('6-digit one-time code.');

export const passwordSchema = z
  .string()
  .min(10, 'at least 10 characters')
  .max(200, 'at most 200 characters')
  .describe('At least 10 characters.');

const dateTime = z.iso.datetime();

export const accountSchema = z
  .object({
    id: z.string(),
    phone: z.string(),
    nickname: z.string().nullable(),
    hasPassword: z.boolean(),
    hasAvatar: z.boolean(),
    isDemo: z.boolean(),
    demoExpiresAt: dateTime.nullable(),
    createdAt: dateTime,
  })
  .meta({ id: 'Account' });

export function presentAccount(account: Account): z.infer<typeof accountSchema> {
  return {
    id: account.id,
    phone: account.phone,
    nickname: account.nickname,
    hasPassword: account.hasPassword,
    hasAvatar: account.avatarImageId !== null,
    isDemo: account.isDemo,
    demoExpiresAt: account.expiresAt?.toISOString() ?? null,
    createdAt: account.createdAt.toISOString(),
  };
}

export const roleSchema = z.enum(['admin', 'guardian']);

export const childSchema = z
  .object({
    name: z.string(),
    birthDate: z.string().nullable(),
    watchPhone: z.string().nullable(),
    hasAvatar: z.boolean(),
  })
  .meta({ id: 'Child' });

export const watchSchema = z
  .object({
    id: z.string(),
    deviceId: z.string(),
    role: roleSchema.describe("The caller's role for this watch."),
    boundAt: dateTime,
    child: childSchema.nullable(),
    isOnline: z.boolean(),
    batteryPercent: z.number().nullable(),
    lastSeenAt: dateTime.nullable(),
    isDemo: z.boolean(),
  })
  .meta({ id: 'Watch' });

export function presentWatch(watch: GuardedWatch): z.infer<typeof watchSchema> {
  const { child } = watch;
  return {
    id: watch.watchId,
    deviceId: watch.deviceId,
    role: watch.role,
    boundAt: watch.boundAt.toISOString(),
    child:
      child === null
        ? null
        : {
            name: child.name,
            birthDate: child.birthDate,
            watchPhone: child.watchPhone,
            hasAvatar: child.avatarImageId !== null,
          },
    isOnline: watch.isOnline,
    batteryPercent: watch.batteryPercent,
    lastSeenAt: watch.lastSeenAt?.toISOString() ?? null,
    isDemo: watch.isDemo,
  };
}

export const guardianSchema = z
  .object({
    accountId: z.string(),
    nickname: z.string().nullable(),
    phone: z.string(),
    role: roleSchema,
    addedAt: dateTime,
    hasAvatar: z.boolean(),
  })
  .meta({ id: 'Guardian' });

export function presentGuardian(guardian: Guardian): z.infer<typeof guardianSchema> {
  return { ...guardian, addedAt: guardian.addedAt.toISOString() };
}

export const invitationSchema = z
  .object({
    id: z.string(),
    watchId: z.string(),
    invitedBy: z.string(),
    phone: z.string().nullable(),
    status: z.enum(['pending', 'accepted', 'approved', 'declined', 'revoked', 'expired']),
    acceptedBy: z.string().nullable(),
    createdAt: dateTime,
    expiresAt: dateTime,
  })
  .meta({ id: 'Invitation' });

export function presentInvitation(invitation: Invitation): z.infer<typeof invitationSchema> {
  return {
    ...invitation,
    createdAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
  };
}

export const sessionSchema = z
  .object({
    id: z.string(),
    isCurrent: z.boolean(),
    createdAt: dateTime,
    lastSeenAt: dateTime,
    expiresAt: dateTime,
    userAgent: z.string(),
    address: z.string(),
  })
  .meta({ id: 'Session' });

export function presentSession(
  session: SessionRecord,
  currentId: string,
): z.infer<typeof sessionSchema> {
  return {
    id: session.id,
    isCurrent: session.id === currentId,
    createdAt: session.createdAt.toISOString(),
    lastSeenAt: session.lastSeenAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
    userAgent: session.userAgent,
    address: session.address,
  };
}

export const noticeSchema = z
  .object({
    id: z.number(),
    watchId: z.string().nullable(),
    kind: z.string(),
    details: z.record(z.string(), z.string().nullable()),
    createdAt: dateTime,
    readAt: dateTime.nullable(),
  })
  .meta({ id: 'Notice' });

export function presentNotice(notice: Notice): z.infer<typeof noticeSchema> {
  return {
    ...notice,
    details: { ...notice.details },
    createdAt: notice.createdAt.toISOString(),
    readAt: notice.readAt?.toISOString() ?? null,
  };
}
