import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { useErrorMessage } from '../../ui/states.tsx';

/** Like useErrorMessage, with the family's own error codes explained first. */
export function useFamilyError(): (error: unknown) => string {
  const { t, i18n } = useTranslation('family');
  const common = useErrorMessage();
  return (error: unknown) => {
    if (error instanceof ApiError && i18n.exists(`family:errors.${error.code}`)) {
      return t(`errors.${error.code}`);
    }
    return common(error);
  };
}
