import type { ReactNode } from 'react';

/** A small label; its colour is never the only signal, so it always has text. */
export function Badge({
  tone = 'neutral',
  icon,
  children,
  title,
}: {
  readonly tone?: 'neutral' | 'ok' | 'warn' | 'danger' | 'info';
  readonly icon?: ReactNode;
  readonly children: ReactNode;
  readonly title?: string;
}) {
  return (
    <span className={`badge ${tone === 'neutral' ? '' : `badge--${tone}`}`} title={title}>
      {icon ? <span aria-hidden="true">{icon}</span> : null}
      {children}
    </span>
  );
}
