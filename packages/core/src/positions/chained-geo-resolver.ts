import type { Logger } from '../observability/logger.ports.ts';
import type { GeoResolver, ResolvedFix } from './geo-resolver.ports.ts';
import type { ObservedCell, ObservedWifi } from './location-observation.model.ts';

/** A resolver with a name for logs (`local`, `beacondb`...). */
export interface NamedGeoResolver {
  readonly name: string;
  readonly resolver: GeoResolver;
}

/**
 * Asks each resolver in turn and returns the first fix. A resolver that fails is logged and
 * skipped, so an unreachable online service never costs the local answer. The composition root
 * puts the local resolver first; online resolvers would only ever be appended when the operator
 * configures them (none exists yet; the default chain is local only).
 */
export class ChainedGeoResolver implements GeoResolver {
  readonly #resolvers: readonly NamedGeoResolver[];
  readonly #logger: Logger;

  constructor(resolvers: readonly NamedGeoResolver[], logger: Logger) {
    this.#resolvers = resolvers;
    this.#logger = logger;
  }

  /** Rejects only when every resolver failed (with the last failure). */
  async resolve(
    cells: readonly ObservedCell[],
    wifi: readonly ObservedWifi[],
  ): Promise<ResolvedFix | undefined> {
    let failures = 0;
    let lastFailure: Error | undefined;
    for (const { name, resolver } of this.#resolvers) {
      try {
        const fix = await resolver.resolve(cells, wifi);
        if (fix !== undefined) return fix;
      } catch (error) {
        failures += 1;
        lastFailure = error instanceof Error ? error : new Error(String(error));
        this.#logger.warn({ resolver: name, err: describe(error) }, 'geo resolver failed');
      }
    }
    if (lastFailure !== undefined && failures === this.#resolvers.length) throw lastFailure;
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
