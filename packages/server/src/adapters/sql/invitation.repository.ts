import type {
  AccountId,
  Invitation,
  InvitationRepository,
  InvitationStatus,
  WatchId,
} from '@kinwatch/core';
import type { Selectable } from 'kysely';
import type { Db, InvitationsTable } from './database.ts';
import { fromMillis, toMillis } from './epoch-millis.ts';

export class SqlInvitationRepository implements InvitationRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async create(invitation: Invitation & { readonly tokenHash: string | null }): Promise<void> {
    await this.#db
      .insertInto('invitations')
      .values({
        id: invitation.id,
        watch_id: invitation.watchId,
        invited_by: invitation.invitedBy,
        phone: invitation.phone,
        token_hash: invitation.tokenHash,
        status: invitation.status,
        accepted_by: invitation.acceptedBy,
        created_at: toMillis(invitation.createdAt),
        expires_at: toMillis(invitation.expiresAt),
      })
      .execute();
  }

  async listForWatch(watchId: WatchId): Promise<Invitation[]> {
    const rows = await this.#db
      .selectFrom('invitations')
      .selectAll()
      .where('watch_id', '=', watchId)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(invitationFromRow);
  }

  async find(invitationId: string): Promise<Invitation | undefined> {
    const row = await this.#db
      .selectFrom('invitations')
      .selectAll()
      .where('id', '=', invitationId)
      .executeTakeFirst();
    return row === undefined ? undefined : invitationFromRow(row);
  }

  async findByTokenHash(tokenHash: string): Promise<Invitation | undefined> {
    const row = await this.#db
      .selectFrom('invitations')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row === undefined ? undefined : invitationFromRow(row);
  }

  async listForPhone(phone: string, at: Date): Promise<Invitation[]> {
    const rows = await this.#db
      .selectFrom('invitations')
      .selectAll()
      .where('phone', '=', phone)
      .where('status', '=', 'pending')
      .where('expires_at', '>', toMillis(at))
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(invitationFromRow);
  }

  async transition(
    invitationId: string,
    from: readonly InvitationStatus[],
    to: InvitationStatus,
    at: Date,
    acceptedBy?: AccountId,
  ): Promise<boolean> {
    const result = await this.#db
      .updateTable('invitations')
      .set({
        status: to,
        settled_at: toMillis(at),
        ...(acceptedBy === undefined ? {} : { accepted_by: acceptedBy }),
      })
      .where('id', '=', invitationId)
      .where('status', 'in', from)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}

function invitationFromRow(row: Selectable<InvitationsTable>): Invitation {
  return {
    id: row.id,
    watchId: row.watch_id,
    invitedBy: row.invited_by,
    phone: row.phone,
    status: row.status as InvitationStatus,
    acceptedBy: row.accepted_by,
    createdAt: fromMillis(row.created_at),
    expiresAt: fromMillis(row.expires_at),
  };
}
