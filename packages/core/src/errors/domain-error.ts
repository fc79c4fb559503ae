/**
 * How a refusal of the domain reads to a client: the API maps each kind to one HTTP status,
 * so services say what went wrong without knowing about HTTP.
 */
export type DomainErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'reauthenticationRequired'
  | 'forbidden'
  | 'notFound'
  | 'conflict'
  | 'tooLarge'
  | 'tooManyRequests'
  | 'unavailable';

/**
 * A request the domain refuses, with a stable machine-readable `code` (`invalidCode`,
 * `watchAlreadyBound`...) and a message meant for the guardian. Nothing internal in either.
 */
export class DomainError extends Error {
  readonly kind: DomainErrorKind;
  readonly code: string;
  /** For `tooManyRequests`: when trying again may succeed. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    kind: DomainErrorKind,
    code: string,
    message: string,
    options: { readonly retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.kind = kind;
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
