import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { useErrorMessage } from '../../ui/states.tsx';

/**
 * The message for a failed request: the feature's own wording for a code when it has one
 * (`<namespace>:errors.<context>.<code>`, then `<namespace>:errors.<code>`), else the shared
 * one from `common`.
 */
export function useFeatureErrorMessage(
  namespace: 'auth' | 'account',
): (error: unknown, context?: string) => string {
  const { t, i18n } = useTranslation(namespace);
  const shared = useErrorMessage();
  return (error, context) => {
    if (error instanceof ApiError) {
      const keys = [
        ...(context === undefined ? [] : [`errors.${context}.${error.code}`]),
        `errors.${error.code}`,
      ];
      for (const key of keys) {
        if (i18n.exists(`${namespace}:${key}`)) return t(key);
      }
    }
    return shared(error);
  };
}

/** The server's message for a field of an `invalidRequest`, when it named that field. */
export function fieldProblem(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return error.details.find((detail) => detail.field === field)?.message;
}
