import type { Socket } from 'node:net';

/**
 * The most frames that wait for the end of the turn: the one that makes 64 writes the batch at
 * once. It bounds how long a reply waits under load (64 frames read and decoded, well under a
 * millisecond), while a batch stays long enough to save most of the cost of writing one by one.
 */
const MAX_QUEUED = 64;

/**
 * Frames for the watches, written in batches instead of one by one as each frame is read
 * (ADR 0012). A batch is written once the event loop has handled the reads of its turn
 * (`setImmediate`), or as soon as 64 frames wait. The gateway's reads and its writes then
 * each run as a tight loop, which costs less CPU per frame than alternating between them.
 *
 * Every write to a watch goes through here, so a connection's frames keep their order. The
 * gateway flushes before it closes a connection, so a reply already decided is not lost to the
 * close. A connection that has gone away by the flush is skipped.
 */
export class OutgoingFrames {
  #sockets: Socket[] = [];
  #frames: Buffer[] = [];
  #isScheduled = false;
  readonly #flushLater = (): void => {
    this.#isScheduled = false;
    this.flush();
  };

  /** Queues `frame` for `socket`: written at the end of this turn, or now when 64 wait. */
  add(socket: Socket, frame: Buffer): void {
    this.#sockets.push(socket);
    this.#frames.push(frame);
    if (this.#sockets.length >= MAX_QUEUED) {
      this.flush();
      return;
    }
    if (this.#isScheduled) return;
    this.#isScheduled = true;
    setImmediate(this.#flushLater);
  }

  /** Frames queued and not yet written. */
  get size(): number {
    return this.#sockets.length;
  }

  /** Writes every queued frame now, in the order queued. */
  flush(): void {
    const sockets = this.#sockets;
    const frames = this.#frames;
    if (sockets.length === 0) return;
    this.#sockets = [];
    this.#frames = [];
    for (let i = 0; i < sockets.length; i++) {
      const socket = sockets[i] as Socket;
      if (!socket.destroyed) socket.write(frames[i] as Buffer);
    }
  }
}
