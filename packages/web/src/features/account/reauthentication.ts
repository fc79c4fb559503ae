import { ApiError } from '../../api/client.ts';

/** Whether the server refused an action until the guardian confirms it is them. */
export function isReauthenticationRequired(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'reauthenticationRequired';
}

/** The guardian closed the confirmation instead of confirming: the action did not happen. */
export class ReauthenticationCancelled extends Error {
  constructor() {
    super('re-authentication cancelled');
    this.name = 'ReauthenticationCancelled';
  }
}

/**
 * Runs `action`; when the server answers `reauthenticationRequired`, waits for `confirm` (the
 * guardian proving it is them; it rejects when they cancel) and runs the action once more.
 */
export async function withReauthentication<T>(
  action: () => Promise<T>,
  confirm: () => Promise<void>,
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (!isReauthenticationRequired(error)) throw error;
    await confirm();
    return action();
  }
}
