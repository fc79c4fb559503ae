import { useCallback, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useReauthentication as useAccountReauthentication } from '../account/Reauthenticate.tsx';
import { ReauthenticationCancelled } from '../account/reauthentication.ts';

/**
 * The family screen's sensitive actions (remove a guardian, hand over the admin role, unbind):
 * the account's confirmation dialog, with `run` resolving true when the action was done and
 * false when the guardian cancelled the confirmation.
 */
export function useReauthentication(): {
  readonly run: (action: () => Promise<void>) => Promise<boolean>;
  readonly dialog: ReactNode;
} {
  const { t } = useTranslation('family');
  const { guard, dialog } = useAccountReauthentication(t('reauth.reason'));
  const run = useCallback(
    async (action: () => Promise<void>) => {
      try {
        await guard(action);
        return true;
      } catch (error) {
        if (error instanceof ReauthenticationCancelled) return false;
        throw error;
      }
    },
    [guard],
  );
  return { run, dialog };
}
