import { useTranslation } from 'react-i18next';
import { EmptyState } from '../ui/states.tsx';
import { Link } from './router.tsx';

export default function NotFoundScreen() {
  const { t } = useTranslation();
  return (
    <EmptyState
      icon="🧭"
      title={t('notFound.title')}
      action={
        <Link to="/" className="btn btn--primary">
          {t('action.backToWatches')}
        </Link>
      }
    >
      {t('notFound.body')}
    </EmptyState>
  );
}
