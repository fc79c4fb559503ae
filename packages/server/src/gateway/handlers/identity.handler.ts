import type { Clock, Logger, WatchRepository } from '@kinwatch/core';
import type { ImeiReport, SimCardId, SimIdentity } from '@kinwatch/protocol';
import type { KnownWatches } from '../known-watches.ts';
import type { WatchSession } from '../session.ts';

/**
 * `RYIMEI`, `ICCID`, `CCID`: what the watch says about its own hardware and SIM. Kept so that a
 * swap (the same device id suddenly reporting another IMEI or SIM) becomes a security event: a
 * cloned id is the one way to impersonate a watch in this protocol.
 */
export class IdentityHandler {
  readonly #watches: WatchRepository;
  readonly #known: KnownWatches;
  readonly #clock: Clock;
  readonly #logger: Logger;

  /** `known` keeps what was stored, for the watch's next connection. */
  constructor(watches: WatchRepository, known: KnownWatches, clock: Clock, logger: Logger) {
    this.#watches = watches;
    this.#known = known;
    this.#clock = clock;
    this.#logger = logger;
  }

  async handle(
    session: WatchSession,
    message: ImeiReport | SimCardId | SimIdentity,
  ): Promise<void> {
    const watchId = session.watchId;
    if (watchId === undefined) return;
    const imei =
      message.type === 'imeiReport'
        ? message.imei
        : message.type === 'simIdentity'
          ? message.imei
          : undefined;
    const iccid = message.type === 'imeiReport' ? undefined : message.iccid;
    const changes: Record<string, string> = {};
    if (imei !== undefined && session.reportedImei !== null && session.reportedImei !== imei) {
      changes.previousImei = session.reportedImei;
      changes.imei = imei;
    }
    if (iccid !== undefined && session.reportedIccid !== null && session.reportedIccid !== iccid) {
      changes.previousIccid = session.reportedIccid;
      changes.iccid = iccid;
    }
    if (Object.keys(changes).length > 0) {
      this.#logger.warn({ watchId, ...changes }, 'watch reported a different identity');
      await this.#watches.recordSecurityEvent({
        watchId,
        deviceId: session.deviceId ?? '',
        kind: 'identityChanged',
        occurredAt: this.#clock.now(),
        details: { ...changes, address: session.remoteAddress },
      });
    }
    await this.#watches.recordIdentity(watchId, {
      ...(imei === undefined ? {} : { imei }),
      ...(iccid === undefined ? {} : { iccid }),
    });
    if (imei !== undefined) session.reportedImei = imei;
    if (iccid !== undefined) session.reportedIccid = iccid;
    if (session.deviceId !== undefined) {
      this.#known.rememberIdentity(session.deviceId, session.reportedImei, session.reportedIccid);
    }
  }
}
