import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type AnchorHTMLAttributes,
  type MouseEvent,
  type ReactNode,
} from 'react';
import { matchRoute, type RouteMatch } from './routes.ts';

interface RouterValue {
  readonly path: string;
  readonly search: URLSearchParams;
  readonly match: RouteMatch;
  readonly navigate: (to: string, options?: { replace?: boolean }) => void;
}

const RouterContext = createContext<RouterValue | null>(null);

/** History-API routing over the route table in routes.ts. */
export function RouterProvider({ children }: { readonly children: ReactNode }) {
  const [location, setLocation] = useState(() => ({
    path: window.location.pathname,
    search: window.location.search,
  }));
  useEffect(() => {
    const onPop = () => {
      setLocation({ path: window.location.pathname, search: window.location.search });
    };
    window.addEventListener('popstate', onPop);
    return () => {
      window.removeEventListener('popstate', onPop);
    };
  }, []);
  const navigate = useCallback((to: string, options: { replace?: boolean } = {}) => {
    const url = new URL(to, window.location.origin);
    if (options.replace === true) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    setLocation({ path: url.pathname, search: url.search });
    window.scrollTo(0, 0);
  }, []);
  const value = useMemo<RouterValue>(
    () => ({
      path: location.path,
      search: new URLSearchParams(location.search),
      match: matchRoute(location.path),
      navigate,
    }),
    [location, navigate],
  );
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const value = useContext(RouterContext);
  if (!value) throw new Error('useRouter outside RouterProvider');
  return value;
}

/** A same-app link: navigates without reloading; marks itself current when it matches. */
export function Link({
  to,
  children,
  isCurrent,
  ...rest
}: AnchorHTMLAttributes<HTMLAnchorElement> & {
  readonly to: string;
  readonly children: ReactNode;
  readonly isCurrent?: boolean;
}) {
  const { navigate } = useRouter();
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    rest.onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a {...rest} href={to} onClick={onClick} aria-current={isCurrent === true ? 'page' : undefined}>
      {children}
    </a>
  );
}
