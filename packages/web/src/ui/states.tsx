import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { Button } from './Button.tsx';

export function EmptyState({
  icon,
  title,
  children,
  action,
}: {
  readonly icon?: ReactNode;
  readonly title: ReactNode;
  readonly children?: ReactNode;
  readonly action?: ReactNode;
}) {
  return (
    <div className="state">
      {icon ? (
        <div className="state__icon" aria-hidden="true">
          {icon}
        </div>
      ) : null}
      <div className="state__title">{title}</div>
      {children ? <div>{children}</div> : null}
      {action}
    </div>
  );
}

/** Placeholder blocks while content loads, announced once to screen readers. */
export function LoadingState({
  rows = 3,
  label,
}: {
  readonly rows?: number;
  readonly label?: string;
}) {
  const { t } = useTranslation();
  return (
    <div role="status" aria-live="polite">
      <span className="visually-hidden">{label ?? t('state.loading')}</span>
      {Array.from({ length: rows }, (_, index) => (
        <div key={index} className="skeleton" aria-hidden="true" />
      ))}
    </div>
  );
}

/** The message to show for a failed request, in the guardian's language where we know it. */
export function useErrorMessage(): (error: unknown) => string {
  const { t, i18n } = useTranslation();
  return (error: unknown) => {
    if (error instanceof ApiError) {
      const key = `errors.${error.code}`;
      if (i18n.exists(key)) return t(key);
      return error.message;
    }
    return t('errors.unexpected');
  };
}

export function ErrorState({
  error,
  onRetry,
}: {
  readonly error: unknown;
  readonly onRetry?: () => void;
}) {
  const { t } = useTranslation();
  const message = useErrorMessage();
  return (
    <div className="state" role="alert">
      <div className="state__icon" aria-hidden="true">
        ⚠️
      </div>
      <div className="state__title">{t('state.errorTitle')}</div>
      <div>{message(error)}</div>
      {onRetry ? <Button onClick={onRetry}>{t('action.retry')}</Button> : null}
    </div>
  );
}

export function Banner({
  tone = 'info',
  children,
  action,
}: {
  readonly tone?: 'info' | 'error' | 'warn' | 'ok';
  readonly children: ReactNode;
  readonly action?: ReactNode;
}) {
  return (
    <div
      className={`banner ${tone === 'info' ? '' : `banner--${tone}`}`}
      role={tone === 'error' ? 'alert' : 'status'}
    >
      <div className="banner__body">{children}</div>
      {action}
    </div>
  );
}
