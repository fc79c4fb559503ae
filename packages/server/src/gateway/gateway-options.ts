/** Limits and timings of the watch gateway. Every value comes from config.ts in production. */
export interface GatewayOptions {
  /** Total connections; the kernel limit here is 20,000 file descriptors per process. */
  readonly maxConnections: number;
  readonly maxConnectionsPerAddress: number;
  /** The largest frame accepted; a voice or photo frame is the largest. */
  readonly maxFrameBytes: number;
  /** Frames per second one connection may send before it is closed as a flood. */
  readonly maxFramesPerSecond: number;
  /** A connection with no bytes for this long is closed (3x the usual heartbeat or more). */
  readonly idleTimeoutSeconds: number;
  /** A connection that has not sent one valid frame this long after connecting is closed. */
  readonly headerTimeoutSeconds: number;
  /** A frame that stays incomplete this long (a byte-a-second trickle) is dropped with the connection. */
  readonly partialFrameTimeoutSeconds: number;
  /** Bytes waiting to be written to a watch that does not read; past this it is closed. */
  readonly maxPendingWriteBytes: number;
  /** Consecutive undecodable frames before the connection is closed. */
  readonly maxBadFramesInRow: number;
  /** How often an unprovisioned id's sighting is stored, at most. */
  readonly unknownSightingIntervalSeconds: number;
  /** A second connection for a watch whose first one sent a frame this recently is a possible clone. */
  readonly cloneWindowSeconds: number;
  /** How long a sent command waits for its acknowledgement before it is marked unconfirmed. */
  readonly ackTimeoutSeconds: number;
  /** How often watch status held in memory is written to the database. */
  readonly statusFlushSeconds: number;
  /**
   * Connections the kernel queues before the gateway accepts them (capped by the system's
   * `net.core.somaxconn`). Node's default, 511, overflows when thousands of watches reconnect
   * at once (a carrier outage ending), and every dropped connect is retried by the watch only
   * after 1, 3, 7... seconds.
   */
  readonly listenBacklog: number;
}

export const DEFAULT_GATEWAY_OPTIONS: GatewayOptions = {
  maxConnections: 19_000,
  maxConnectionsPerAddress: 1_000,
  maxFrameBytes: 256 * 1024,
  // A watch back in coverage sends its buffered UD2 history in a burst.
  maxFramesPerSecond: 200,
  idleTimeoutSeconds: 1_200,
  headerTimeoutSeconds: 60,
  partialFrameTimeoutSeconds: 60,
  maxPendingWriteBytes: 512 * 1024,
  maxBadFramesInRow: 20,
  unknownSightingIntervalSeconds: 300,
  cloneWindowSeconds: 120,
  ackTimeoutSeconds: 60,
  statusFlushSeconds: 5,
  listenBacklog: 4096,
};
