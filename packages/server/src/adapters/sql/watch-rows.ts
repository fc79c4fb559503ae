import { randomBytes } from 'node:crypto';
import { isSecurityEventKind, type SecurityEvent, type Watch, type WatchId } from '@kinwatch/core';
import type { Selectable } from 'kysely';
import type { SecurityEventsTable, WatchesTable } from './database.ts';
import { fromMillis, fromNullableMillis } from './epoch-millis.ts';
import { knownValue } from './stored-value.ts';

/** 128 random bits, URL-safe. */
export function newWatchId(): WatchId {
  return randomBytes(16).toString('base64url');
}

export function watchFromRow(row: Selectable<WatchesTable>): Watch {
  return {
    id: row.id,
    deviceId: row.device_id,
    provisionedAt: fromMillis(row.provisioned_at),
    vendor: row.vendor,
    firstSeenAt: fromNullableMillis(row.first_seen_at),
    lastSeenAt: fromNullableMillis(row.last_seen_at),
    lastAddress: row.last_address,
    imei: row.imei,
    iccid: row.iccid,
    isPossibleClone: row.is_possible_clone === 1,
  };
}

export function securityEventFromRow(row: Selectable<SecurityEventsTable>): SecurityEvent {
  return {
    id: row.id,
    watchId: row.watch_id,
    deviceId: row.device_id,
    kind: knownValue(row.kind, isSecurityEventKind, 'security event kind'),
    details: JSON.parse(row.details) as SecurityEvent['details'],
    occurredAt: fromMillis(row.occurred_at),
  };
}
