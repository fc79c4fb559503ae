/**
 * The message bus between the parts of Kinwatch: commands travel to the gateway node that holds
 * a watch's socket, events travel to the API nodes that serve its guardians. In one process it
 * is in memory; scaled out it is NATS. Subjects are dot-separated (`watch.<watchId>.command`);
 * as in NATS, a subscription's `*` matches one token and a final `>` matches the rest.
 */
export type Unsubscribe = () => void;

export interface Bus {
  /** Delivers to every current subscriber of `subject`; resolves once handed over. */
  publish(subject: string, message: unknown): Promise<void>;
  /** Handlers run one message at a time per subscription, in publish order. */
  subscribe(
    subject: string,
    handler: (message: unknown, subject: string) => void | Promise<void>,
  ): Unsubscribe;
}

/** The kinds of watch event, each announced on its own subject (`watch.<id>.event.<type>`). */
export type WatchEventType = 'alarmReceived' | 'alarm' | 'status' | 'alert' | 'commandProgress';

/**
 * Subjects used across the system, in one place. Each kind of watch event has its own subject,
 * so a subscriber receives only the kinds it handles, and nothing is sent for a kind nobody
 * listens to. Positions, by far the most frequent, travel in batches on one subject.
 */
export const subjects = {
  /** A command was queued for the watch: the gateway holding its socket should deliver it. */
  watchCommand: (watchId: string): string => `watch.${watchId}.command`,
  /** One kind of event of a watch (alarm, status, alert change, command progress). */
  watchEvent: (watchId: string, type: WatchEventType): string => `watch.${watchId}.event.${type}`,
  /** Every kind of event of one watch (what its live streams follow). */
  eventsOfWatch: (watchId: string): string => `watch.${watchId}.event.*`,
  /** One kind of event of every watch. */
  eventsOfType: (type: WatchEventType): string => `watch.*.event.${type}`,
  /**
   * Positions that were stored (and those of zone-only watches, for zone evaluation), of any
   * watch, as one message per committed batch: `PositionBatchEvent`. A watch's positions
   * arrive in the order they were stored.
   */
  positionBatches: 'watches.positions',
  /**
   * A device id was provisioned by the server (a guardian binding a watch that connected as
   * unknown, or an unbound watch given a fresh id): a gateway holding its connection
   * identifies it again. Message: `{ deviceId }`.
   */
  watchProvisioned: 'watches.provisioned',
  /**
   * Who guards a watch changed (a guardian removed or gone, the watch unbound): live streams
   * read their watches again at once. Message: `{ watchId }`.
   */
  guardiansChanged: 'watches.guardians-changed',
  allWatchCommands: 'watch.*.command',
} as const;
