import type { WatchId } from '../watches/watch.model.ts';
import type { ZoneState, ZoneTransition } from '../zones/zone-evaluator.ts';
import type { Zone, ZoneId } from '../zones/zone.model.ts';
import type { ZoneEvent, ZoneEventQuery, ZoneRepository } from '../zones/zone.ports.ts';

/** A ZoneRepository in memory, for service tests. */
export class MemoryZoneRepository implements ZoneRepository {
  readonly zones = new Map<ZoneId, Zone>();
  readonly states = new Map<string, ZoneState>();
  readonly events: ZoneEvent[] = [];
  readonly zoneOnly = new Set<WatchId>();

  listZones(watchId: WatchId): Promise<Zone[]> {
    return Promise.resolve([...this.zones.values()].filter((z) => z.watchId === watchId));
  }

  findZone(watchId: WatchId, zoneId: ZoneId): Promise<Zone | undefined> {
    const zone = this.zones.get(zoneId);
    return Promise.resolve(zone?.watchId === watchId ? zone : undefined);
  }

  async countZones(watchId: WatchId): Promise<number> {
    return (await this.listZones(watchId)).length;
  }

  insertZone(zone: Zone): Promise<void> {
    this.zones.set(zone.id, zone);
    return Promise.resolve();
  }

  async updateZone(zone: Zone): Promise<boolean> {
    if ((await this.findZone(zone.watchId, zone.id)) === undefined) return false;
    this.zones.set(zone.id, zone);
    return true;
  }

  async removeZone(watchId: WatchId, zoneId: ZoneId): Promise<boolean> {
    if ((await this.findZone(watchId, zoneId)) === undefined) return false;
    this.zones.delete(zoneId);
    this.states.delete(`${watchId}/${zoneId}`);
    return true;
  }

  watchIdsWithExpectations(): Promise<WatchId[]> {
    const ids = [...this.zones.values()].filter((z) => z.expectations.length > 0);
    return Promise.resolve([...new Set(ids.map((z) => z.watchId))]);
  }

  listStates(watchId: WatchId): Promise<ZoneState[]> {
    const prefix = `${watchId}/`;
    const states = [...this.states].filter(([key]) => key.startsWith(prefix));
    return Promise.resolve(states.map(([, state]) => state));
  }

  recordTransitions(
    watchId: WatchId,
    states: readonly ZoneState[],
    transitions: readonly ZoneTransition[],
  ): Promise<void> {
    for (const state of states) this.states.set(`${watchId}/${state.zoneId}`, state);
    for (const t of transitions) this.events.push({ ...t, id: this.events.length + 1, watchId });
    return Promise.resolve();
  }

  listEvents(watchId: WatchId, query: ZoneEventQuery): Promise<ZoneEvent[]> {
    const events = this.events
      .filter((e) => e.watchId === watchId && e.at >= query.from && e.at < query.to)
      .filter((e) => query.zoneId === undefined || e.zoneId === query.zoneId)
      .sort((a, b) => b.at.getTime() - a.at.getTime() || b.id - a.id);
    return Promise.resolve(events.slice(0, query.limit));
  }

  lastEventBefore(watchId: WatchId, zoneId: ZoneId, before: Date): Promise<ZoneEvent | undefined> {
    const events = this.events
      .filter((e) => e.watchId === watchId && e.zoneId === zoneId && e.at < before)
      .sort((a, b) => b.at.getTime() - a.at.getTime() || b.id - a.id);
    return Promise.resolve(events[0]);
  }

  zoneOnlyWatches(): Promise<WatchId[]> {
    return Promise.resolve([...this.zoneOnly]);
  }

  isZoneOnly(watchId: WatchId): Promise<boolean> {
    return Promise.resolve(this.zoneOnly.has(watchId));
  }

  setZoneOnly(watchId: WatchId, isZoneOnly: boolean): Promise<void> {
    if (isZoneOnly) this.zoneOnly.add(watchId);
    else this.zoneOnly.delete(watchId);
    return Promise.resolve();
  }
}
