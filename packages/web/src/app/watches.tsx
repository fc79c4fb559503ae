import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { api } from '../api/client.ts';
import type { StreamPosition } from '../api/stream-messages.ts';
import type { Watch } from '../api/types.ts';
import { useStreamMessages } from './stream.tsx';
import { useResource, type Resource } from './use-resource.ts';

/** A watch as the app shows it: the server's record with the live status merged in. */
export interface LiveWatch extends Watch {
  readonly gsmSignalPercent?: number | null;
  readonly steps?: number | null;
  /** The newest live (not buffered) position heard on the stream since the app opened. */
  readonly livePosition?: StreamPosition;
}

interface WatchesValue {
  readonly watches: Resource<readonly LiveWatch[]>;
  readonly reload: () => void;
  readonly find: (watchId: string) => LiveWatch | undefined;
}

const WatchesContext = createContext<WatchesValue | null>(null);

/** Applies one stream message to the list; the same list when nothing changed. */
export function applyToWatches(
  watches: readonly LiveWatch[],
  message: Parameters<Parameters<typeof useStreamMessages>[0]>[0],
): readonly LiveWatch[] {
  if (message.type !== 'status' && message.type !== 'position') return watches;
  const index = watches.findIndex((watch) => watch.id === message.watchId);
  const watch = watches[index];
  if (watch === undefined) return watches;
  let next: LiveWatch;
  if (message.type === 'status') {
    next = {
      ...watch,
      ...(message.isOnline === undefined ? {} : { isOnline: message.isOnline }),
      ...(message.batteryPercent === undefined ? {} : { batteryPercent: message.batteryPercent }),
      ...(message.gsmSignalPercent === undefined
        ? {}
        : { gsmSignalPercent: message.gsmSignalPercent }),
      ...(message.steps === undefined ? {} : { steps: message.steps }),
      lastSeenAt: message.at,
    };
  } else {
    if (message.position.isBuffered) return watches;
    const current = watch.livePosition;
    if (current && Date.parse(current.recordedAt) > Date.parse(message.position.recordedAt)) {
      return watches;
    }
    next = { ...watch, livePosition: message.position, isOnline: true };
  }
  const copy = watches.slice();
  copy[index] = next;
  return copy;
}

export function WatchesProvider({ children }: { readonly children: ReactNode }) {
  const [knownIds, setKnownIds] = useState('');
  const watches = useResource<readonly LiveWatch[]>(
    async (signal) => (await api.get('/api/v1/watches', { signal })).watches,
    [knownIds],
  );
  const { setData, reload } = watches;
  useStreamMessages((message) => {
    if (message.type === 'hello') {
      // The server names the watches this connection hears: a bind or an unbind elsewhere.
      setKnownIds([...message.watchIds].sort().join(','));
      return;
    }
    setData((list) => applyToWatches(list, message));
  });
  const find = useCallback(
    (watchId: string) => watches.data?.find((watch) => watch.id === watchId),
    [watches.data],
  );
  const value = useMemo<WatchesValue>(() => ({ watches, reload, find }), [watches, reload, find]);
  return <WatchesContext.Provider value={value}>{children}</WatchesContext.Provider>;
}

export function useWatches(): WatchesValue {
  const value = useContext(WatchesContext);
  if (!value) throw new Error('useWatches outside WatchesProvider');
  return value;
}

/** The display name of a watch: the child's name, else the device id. */
export function watchName(watch: Pick<Watch, 'child' | 'deviceId'>): string {
  return watch.child?.name ?? watch.deviceId;
}
