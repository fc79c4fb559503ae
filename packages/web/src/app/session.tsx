import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { api } from '../api/client.ts';
import type { Account } from '../api/types.ts';

type SessionState =
  | { readonly status: 'checking' }
  | { readonly status: 'signedOut' }
  | { readonly status: 'signedIn'; readonly account: Account };

interface SessionValue {
  readonly state: SessionState;
  /** After a login, registration or demo: the account the server answered with. */
  readonly signedIn: (account: Account) => void;
  /** Logs out on the server and returns to the login screen. */
  readonly signOut: () => Promise<void>;
  /** Re-reads the account (after a nickname or avatar change). */
  readonly refresh: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { readonly children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'checking' });
  const refresh = useCallback(async () => {
    try {
      const { account } = await api.get('/api/v1/me');
      setState({ status: 'signedIn', account });
    } catch (error) {
      if ((error as { status?: number }).status === 401) setState({ status: 'signedOut' });
      else throw error;
    }
  }, []);
  useEffect(() => {
    api.onUnauthenticated = () => {
      setState({ status: 'signedOut' });
    };
    refresh().catch(() => {
      // The server could not be reached: show the login screen, which says so when used.
      setState({ status: 'signedOut' });
    });
    return () => {
      api.onUnauthenticated = undefined;
    };
  }, [refresh]);
  const value = useMemo<SessionValue>(
    () => ({
      state,
      signedIn: (account) => {
        setState({ status: 'signedIn', account });
      },
      signOut: async () => {
        try {
          await api.post('/api/v1/auth/logout');
        } finally {
          setState({ status: 'signedOut' });
        }
      },
      refresh,
    }),
    [state, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in account; only for screens behind the login. */
export function useAccount(): Account {
  const { state } = useSession();
  if (state.status !== 'signedIn') throw new Error('useAccount while signed out');
  return state.account;
}
