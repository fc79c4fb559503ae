import { useTranslation } from 'react-i18next';
import { Link } from '../../app/router.tsx';
import { useWatches } from '../../app/watches.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states.tsx';
import { WatchRow } from './WatchRow.tsx';
import './watches.css';

/** Home: every watch the guardian looks after, with how it is and where it was last placed. */
export default function WatchesScreen() {
  const { t } = useTranslation('watches');
  const { watches, reload } = useWatches();
  const list = watches.data;
  return (
    <section aria-labelledby="watches-title">
      <div className="page-header">
        <h1 id="watches-title">{t('title')}</h1>
        {list !== undefined && list.length > 0 ? (
          <Link to="/bind" className="btn btn--small">
            <span aria-hidden="true">＋</span>
            {t('addWatch')}
          </Link>
        ) : null}
      </div>
      {list === undefined ? (
        watches.status === 'error' ? (
          <ErrorState error={watches.error} onRetry={reload} />
        ) : (
          <LoadingState label={t('loading')} />
        )
      ) : list.length === 0 ? (
        <EmptyState
          icon="⌚"
          title={t('empty.title')}
          action={
            <Link to="/bind" className="btn btn--primary">
              {t('addWatch')}
            </Link>
          }
        >
          <p>{t('empty.body')}</p>
        </EmptyState>
      ) : (
        <ul className="list watch-list">
          {list.map((watch) => (
            <WatchRow key={watch.id} watch={watch} />
          ))}
        </ul>
      )}
    </section>
  );
}
