/**
 * Every screen of the app and its URL. Paths are stable: they are what a guardian bookmarks
 * and what a notification opens.
 */
export type RouteMatch =
  | { readonly name: 'login' }
  | { readonly name: 'watches' }
  | { readonly name: 'alerts' }
  | { readonly name: 'bind' }
  | { readonly name: 'account' }
  /** An invitation link, `/invite#<token>`: the token stays in the fragment, out of server logs. */
  | { readonly name: 'invitation' }
  | { readonly name: 'watchMap'; readonly watchId: string }
  | { readonly name: 'watchHistory'; readonly watchId: string }
  | { readonly name: 'watchZones'; readonly watchId: string }
  | { readonly name: 'watchAlerts'; readonly watchId: string }
  | { readonly name: 'watchActivity'; readonly watchId: string }
  | { readonly name: 'watchFamily'; readonly watchId: string }
  | { readonly name: 'notFound' };

const WATCH_TABS = {
  '': 'watchMap',
  history: 'watchHistory',
  zones: 'watchZones',
  alerts: 'watchAlerts',
  activity: 'watchActivity',
  family: 'watchFamily',
} as const;

export type WatchTab = keyof typeof WATCH_TABS;

export function matchRoute(path: string): RouteMatch {
  const parts = path
    .split('/')
    .filter((part) => part !== '')
    .map(decodeURIComponent);
  if (parts.length === 0) return { name: 'watches' };
  const [first, second, third] = parts;
  if (parts.length === 1) {
    if (first === 'login') return { name: 'login' };
    if (first === 'alerts') return { name: 'alerts' };
    if (first === 'bind') return { name: 'bind' };
    if (first === 'account') return { name: 'account' };
    if (first === 'watches') return { name: 'watches' };
    if (first === 'invite') return { name: 'invitation' };
  }
  if (first === 'watches' && second !== undefined && parts.length <= 3) {
    const tab = third ?? '';
    if (Object.hasOwn(WATCH_TABS, tab)) {
      return { name: WATCH_TABS[tab as WatchTab], watchId: second };
    }
  }
  return { name: 'notFound' };
}

/** The URL of one of a watch's screens. */
export function watchPath(watchId: string, tab: WatchTab = ''): string {
  const base = `/watches/${encodeURIComponent(watchId)}`;
  return tab === '' ? base : `${base}/${tab}`;
}
