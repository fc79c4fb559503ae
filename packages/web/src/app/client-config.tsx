import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { api } from '../api/client.ts';
import type { paths } from '../api/openapi.gen.ts';

export type ClientConfig =
  paths['/api/v1/client-config']['get']['responses'][200]['content']['application/json'];

const DEFAULTS: ClientConfig = {
  map: { tileUrl: null, tileAttribution: null },
  isDemoEnabled: false,
  locationStaleAfterSeconds: 15 * 60,
};

const ClientConfigContext = createContext<ClientConfig>(DEFAULTS);

/** The server's settings for the app (map tiles, demo); defaults until they arrive. */
export function ClientConfigProvider({ children }: { readonly children: ReactNode }) {
  const [config, setConfig] = useState<ClientConfig>(DEFAULTS);
  useEffect(() => {
    api.get('/api/v1/client-config').then(setConfig, () => undefined);
  }, []);
  return <ClientConfigContext.Provider value={config}>{children}</ClientConfigContext.Provider>;
}

export function useClientConfig(): ClientConfig {
  return useContext(ClientConfigContext);
}
