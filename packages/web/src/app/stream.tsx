import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { api } from '../api/client.ts';
import { LiveStream, streamUrl, type StreamSocket, type StreamState } from '../api/live-stream.ts';
import type { StreamMessage } from '../api/stream-messages.ts';

/** The browser's WebSocket behind the stream's small socket interface. */
function browserSocket(url: string): StreamSocket {
  const socket = new WebSocket(url);
  const adapter: StreamSocket = {
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
    close: (code) => {
      socket.close(code);
    },
  };
  socket.onopen = () => adapter.onopen?.();
  socket.onmessage = (event) => adapter.onmessage?.(event);
  socket.onclose = (event) => adapter.onclose?.(event);
  socket.onerror = () => adapter.onerror?.();
  return adapter;
}

const StreamContext = createContext<LiveStream | null>(null);

/** One live stream for the signed-in guardian, reconnecting by itself. */
export function StreamProvider({ children }: { readonly children: ReactNode }) {
  const [stream] = useState(
    () =>
      new LiveStream({
        url: streamUrl(window.location),
        connect: browserSocket,
      }),
  );
  useEffect(() => {
    stream.start();
    // A refused upgrade looks like any failed connection: ask whether the session still holds
    // (a 401 there returns the app to the login screen).
    const offDrop = stream.onDrop(() => {
      api.get('/api/v1/me').catch(() => undefined);
    });
    const wake = () => {
      if (document.visibilityState === 'visible') stream.reconnectNow();
    };
    document.addEventListener('visibilitychange', wake);
    window.addEventListener('online', wake);
    return () => {
      offDrop();
      document.removeEventListener('visibilitychange', wake);
      window.removeEventListener('online', wake);
      stream.stop();
    };
  }, [stream]);
  return <StreamContext.Provider value={stream}>{children}</StreamContext.Provider>;
}

export function useLiveStream(): LiveStream {
  const stream = useContext(StreamContext);
  if (!stream) throw new Error('useLiveStream outside StreamProvider');
  return stream;
}

/**
 * Calls `onMessage` for every stream message, synchronously from the socket event. The latest
 * callback is used, so it may close over state without resubscribing.
 */
export function useStreamMessages(onMessage: (message: StreamMessage) => void): void {
  const stream = useLiveStream();
  const ref = useRef(onMessage);
  ref.current = onMessage;
  useEffect(
    () =>
      stream.subscribe((message) => {
        ref.current(message);
      }),
    [stream],
  );
}

export function useStreamState(): StreamState {
  const stream = useLiveStream();
  const [state, setState] = useState(stream.state);
  useEffect(() => {
    setState(stream.state);
    return stream.onState(setState);
  }, [stream]);
  return state;
}
