import type { Alert } from '../../api/types.ts';

/** The alert kinds the server raises (packages/core/src/alerts/alert.model.ts). */
export type KnownAlertKind =
  | 'sos'
  | 'removed'
  | 'lowBattery'
  | 'fall'
  | 'heartRateAbnormal'
  | 'offline'
  | 'zoneEnter'
  | 'zoneLeave'
  | 'expectationMissed';

export type AlertTone = 'danger' | 'warn' | 'info';

const KINDS: Readonly<Record<KnownAlertKind, { icon: string; tone: AlertTone }>> = {
  sos: { icon: '🆘', tone: 'danger' },
  removed: { icon: '⌚', tone: 'danger' },
  fall: { icon: '🤕', tone: 'danger' },
  heartRateAbnormal: { icon: '💓', tone: 'warn' },
  lowBattery: { icon: '🪫', tone: 'warn' },
  offline: { icon: '📴', tone: 'warn' },
  expectationMissed: { icon: '⏰', tone: 'warn' },
  zoneEnter: { icon: '📍', tone: 'info' },
  zoneLeave: { icon: '🚶', tone: 'info' },
};

function isKnownKind(kind: string): kind is KnownAlertKind {
  return Object.hasOwn(KINDS, kind);
}

/** An i18n key of the `alerts` namespace with its values. */
export interface AlertSentence {
  readonly icon: string;
  readonly tone: AlertTone;
  readonly key: string;
  readonly values: Readonly<Record<string, string | number>>;
}

function text(value: string | number | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = String(value).trim();
  return trimmed === '' ? undefined : trimmed;
}

function count(value: string | number | null | undefined): number | undefined {
  const number = typeof value === 'number' ? value : Number(value);
  return value === null || value === undefined || !Number.isFinite(number) ? undefined : number;
}

/**
 * The sentence that says what happened, from the alert's kind and details (zone name, battery
 * percent, minutes silent, the end of an expectation window as a local time).
 */
export function alertSentence(
  alert: Pick<Alert, 'kind' | 'details'>,
  childName: string,
  formatTime: (iso: string) => string,
): AlertSentence {
  const { kind, details } = alert;
  if (!isKnownKind(kind)) {
    return { icon: '🔔', tone: 'warn', key: 'kind.unknown', values: { name: childName, kind } };
  }
  const { icon, tone } = KINDS[kind];
  const zone = text(details['zoneName']);
  const base = { icon, tone };
  switch (kind) {
    case 'lowBattery': {
      const percent = count(details['batteryPercent']);
      return percent === undefined
        ? { ...base, key: 'kind.lowBattery', values: { name: childName } }
        : { ...base, key: 'kind.lowBatteryPercent', values: { name: childName, percent } };
    }
    case 'offline': {
      const minutes = count(details['minutesSilent']);
      return minutes === undefined
        ? { ...base, key: 'kind.offline', values: { name: childName } }
        : { ...base, key: 'kind.offlineMinutes', values: { name: childName, count: minutes } };
    }
    case 'zoneEnter':
    case 'zoneLeave':
      return zone === undefined
        ? { ...base, key: `kind.${kind}`, values: { name: childName } }
        : { ...base, key: `kind.${kind}Named`, values: { name: childName, zone } };
    case 'expectationMissed': {
      const end = text(details['windowEnd']);
      const time = end === undefined || Number.isNaN(Date.parse(end)) ? undefined : formatTime(end);
      if (zone !== undefined && time !== undefined) {
        return {
          ...base,
          key: 'kind.expectationMissedAt',
          values: { name: childName, zone, time },
        };
      }
      return zone === undefined
        ? { ...base, key: 'kind.expectationMissed', values: { name: childName } }
        : { ...base, key: 'kind.expectationMissedNamed', values: { name: childName, zone } };
    }
    default:
      return { ...base, key: `kind.${kind}`, values: { name: childName } };
  }
}

/** The accuracy radius as a guardian reads it: "±8 m", "±1.2 km". */
export function formatAccuracy(accuracyMeters: number, locale: string): string {
  if (accuracyMeters < 1000) {
    return `±${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(accuracyMeters)} m`;
  }
  return `±${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(accuracyMeters / 1000)} km`;
}

/** Coordinates to five decimals (about a metre), enough to find the place again. */
export function formatCoordinates(latitude: number, longitude: number): string {
  return `${latitude.toFixed(5)}, ${longitude.toFixed(5)}`;
}
