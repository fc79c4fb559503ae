import type { ImageRepository, StoredImage } from '@kinwatch/core';
import type { Db } from './database.ts';
import { toMillis } from './epoch-millis.ts';

export class SqlImageRepository implements ImageRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async save(image: StoredImage, at: Date): Promise<void> {
    await this.#db
      .insertInto('images')
      .values({
        id: image.id,
        media_type: image.mediaType,
        bytes: image.bytes,
        created_at: toMillis(at),
      })
      .execute();
  }

  async find(id: string): Promise<StoredImage | undefined> {
    const row = await this.#db
      .selectFrom('images')
      .select(['id', 'media_type', 'bytes'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return { id: row.id, mediaType: row.media_type, bytes: new Uint8Array(row.bytes) };
  }

  async remove(id: string): Promise<void> {
    await this.#db.deleteFrom('images').where('id', '=', id).execute();
  }
}
