import { useCallback, useEffect, useRef, useState } from 'react';

export type Resource<T> =
  | { readonly status: 'loading'; readonly data: T | undefined; readonly error: null }
  | { readonly status: 'ready'; readonly data: T; readonly error: null }
  | { readonly status: 'error'; readonly data: T | undefined; readonly error: unknown };

/**
 * Loads data for a screen and reloads it when `deps` change or `reload()` is called. A stale
 * answer (of an earlier load) is dropped; data already shown stays while a reload runs, so
 * screens do not flash back to skeletons.
 */
export function useResource<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
): Resource<T> & { reload: () => void; setData: (update: (data: T) => T) => void } {
  const [state, setState] = useState<Resource<T>>({
    status: 'loading',
    data: undefined,
    error: null,
  });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ status: 'loading', data: previous.data, error: null }));
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data, error: null });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setState((previous) => ({ status: 'error', data: previous.data, error }));
        }
      },
    );
    return () => {
      controller.abort();
    };
    // The caller names the dependencies, as with useEffect.
  }, [...deps, generation]);
  const reload = useCallback(() => {
    setGeneration((value) => value + 1);
  }, []);
  /** Changes loaded data in place (a live update); does nothing before the first load. */
  const setData = useCallback((update: (data: T) => T) => {
    setState((previous) => {
      if (previous.data === undefined) return previous;
      const data = update(previous.data);
      return data === previous.data ? previous : { ...previous, data };
    });
  }, []);
  return { ...state, reload, setData };
}
