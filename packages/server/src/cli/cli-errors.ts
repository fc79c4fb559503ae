/** Exit codes of the `kinwatch` command. */
export const EXIT_OK = 0;
/** The command was understood but failed: database unreachable, file unreadable... */
export const EXIT_FAILURE = 1;
/** Bad usage or configuration: an unknown option, an invalid setting or argument. */
export const EXIT_USAGE = 2;

/** Bad input from the operator: reported without a stack trace, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
