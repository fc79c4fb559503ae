/** A column's type in COPY's binary format. */
export type CopyType = 'text' | 'int8' | 'int4' | 'bytea';

/** The rows (values one after the other, `types.length` a row) in COPY's binary format. */
export function encodeCopy(types: readonly CopyType[], rows: readonly unknown[]): Buffer;

/** `COPY ... FROM STDIN` as a pg submittable (`client.query(copy)`), settling `done`. */
export class CopyFromStdin {
  constructor(text: string, data: Buffer);
  readonly done: Promise<void>;
}
