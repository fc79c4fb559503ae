/** Why an uploaded image was refused; the API reports it as a stable value clients can branch on. */
export type ImageRejectionReason =
  'tooLarge' | 'unsupportedType' | 'corrupt' | 'dimensionsTooLarge' | 'animated';

/**
 * An image the server refuses to store, with a message meant for the guardian. Sanitizers throw
 * nothing else, whatever the bytes: a parsing bug must not turn into a 500 or a stored file.
 */
export class ImageRejectedError extends Error {
  readonly code = 'imageRejected';
  readonly reason: ImageRejectionReason;

  constructor(reason: ImageRejectionReason, message: string) {
    super(message);
    this.name = 'ImageRejectedError';
    this.reason = reason;
  }
}

/** A damaged or truncated file; `detail` says what is wrong, in words a guardian can report. */
export function corruptImage(detail: string): ImageRejectedError {
  return new ImageRejectedError('corrupt', `The image file is damaged or incomplete: ${detail}.`);
}

/** The refusal of an animation: an avatar is one still picture. */
export function animatedImage(): ImageRejectedError {
  return new ImageRejectedError('animated', 'Animated images cannot be used as avatars.');
}
