import type { DeviceId, KnownWatch, WatchId, WatchRepository } from '@kinwatch/core';

/**
 * The provisioned watches by device id, in memory, so that a connecting watch is named without
 * a query (about 150 bytes a watch). Loaded when the gateway starts; a device id it does not
 * hold is looked up in the database every time, because watches are provisioned by another
 * process (`kinwatch watches provision`) while the gateway runs. Unknown ids are not
 * remembered: a watch provisioned a moment ago is found on its next connection.
 */
export class KnownWatches {
  readonly #watches: Pick<WatchRepository, 'listKnown' | 'findByDeviceId'>;
  readonly #byDeviceId = new Map<DeviceId, KnownWatch>();

  constructor(watches: Pick<WatchRepository, 'listKnown' | 'findByDeviceId'>) {
    this.#watches = watches;
  }

  get size(): number {
    return this.#byDeviceId.size;
  }

  /** Reads every provisioned watch. */
  async load(): Promise<void> {
    for (const watch of await this.#watches.listKnown())
      this.#byDeviceId.set(watch.deviceId, watch);
  }

  /** The watch if it is in memory; `lookup` also asks the database. */
  find(deviceId: DeviceId): KnownWatch | undefined {
    return this.#byDeviceId.get(deviceId);
  }

  /** The watch from memory, else from the database (and kept); undefined when not provisioned. */
  async lookup(deviceId: DeviceId): Promise<KnownWatch | undefined> {
    const known = this.#byDeviceId.get(deviceId);
    if (known !== undefined) return known;
    const watch = await this.#watches.findByDeviceId(deviceId);
    if (watch === undefined) return undefined;
    const entry: KnownWatch = {
      id: watch.id,
      deviceId: watch.deviceId,
      imei: watch.imei,
      iccid: watch.iccid,
    };
    this.#byDeviceId.set(deviceId, entry);
    return entry;
  }

  /** Keeps the identity a watch reported, as it was stored, for its next connection. */
  rememberIdentity(deviceId: DeviceId, imei: string | null, iccid: string | null): void {
    const known = this.#byDeviceId.get(deviceId);
    if (known === undefined) return;
    if (known.imei === imei && known.iccid === iccid) return;
    this.#byDeviceId.set(deviceId, { ...known, imei, iccid });
  }

  /** Drops a watch that no longer exists (removed while the gateway ran). */
  forget(watchId: WatchId): void {
    for (const [deviceId, known] of this.#byDeviceId) {
      if (known.id === watchId) {
        this.#byDeviceId.delete(deviceId);
        return;
      }
    }
  }
}
