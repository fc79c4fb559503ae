import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from '../../ui/TextField.tsx';
import { serverSms } from './claim-countdown.ts';
import { CopyButton } from './CopyButton.tsx';

/** The gateway port of a default installation (KINWATCH_GATEWAY_PORT). */
export const DEFAULT_GATEWAY_PORT = 8001;

/**
 * How to point a watch at this server: the SMS to send to the watch's own number, with this
 * server's address filled in. Open when the server has never heard of the watch.
 */
export function ServerSetupHelp({ isOpen = false }: { readonly isOpen?: boolean }) {
  const { t } = useTranslation('bind');
  const [host, setHost] = useState(() => window.location.hostname);
  const [port, setPort] = useState(String(DEFAULT_GATEWAY_PORT));
  const [password, setPassword] = useState('123456');
  const portNumber = Number.parseInt(port, 10);
  const sms = serverSms(
    host.trim() || 'HOST',
    Number.isFinite(portNumber) ? portNumber : DEFAULT_GATEWAY_PORT,
    password.trim() || '123456',
  );
  const isLocalHost = /^(localhost|127\.|\[?::1\]?$)/.test(host.trim());
  return (
    <details className="card bind-setup" open={isOpen}>
      <summary>{t('setup.summary')}</summary>
      <ol className="bind-setup__steps">
        <li>{t('setup.stepOnline')}</li>
        <li>
          {t('setup.stepSms')}
          <div className="bind-setup__sms">
            <code>{sms}</code>
            <CopyButton text={sms} label={t('setup.copySms')} />
          </div>
        </li>
        <li>{t('setup.stepWait')}</li>
      </ol>
      <div className="bind-setup__fields">
        <TextField
          label={t('setup.host')}
          hint={isLocalHost ? t('setup.hostLocal') : t('setup.hostHint')}
          value={host}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => {
            setHost(event.target.value);
          }}
        />
        <TextField
          label={t('setup.port')}
          hint={t('setup.portHint')}
          inputMode="numeric"
          value={port}
          onChange={(event) => {
            setPort(event.target.value.replace(/\D/g, '').slice(0, 5));
          }}
        />
        <TextField
          label={t('setup.password')}
          hint={t('setup.passwordHint')}
          inputMode="numeric"
          autoComplete="off"
          value={password}
          onChange={(event) => {
            setPassword(event.target.value.replace(/[^0-9A-Za-z]/g, '').slice(0, 12));
          }}
        />
      </div>
    </details>
  );
}
