/**
 * Bounds the TCP connects in flight. Thousands of simultaneous SYNs overflow the listen backlog,
 * and the kernel's SYN retransmits (after 1 s, then 3 s) then show up as fake latency; about
 * 2,000 in flight is safe on loopback.
 */
export interface ConnectGate {
  /** Calls `granted` once a slot is free (at once if one is); the holder must `release`. */
  acquire(granted: () => void): void;
  release(): void;
}

/** A gate that never makes anyone wait (a single watch). */
export const OPEN_GATE: ConnectGate = {
  acquire: (granted) => {
    granted();
  },
  release: () => undefined,
};

/** A gate for at most `limit` holders at once; waiters are served first come, first served. */
export function createConnectGate(limit: number): ConnectGate {
  if (!(limit >= 1)) throw new RangeError('the connect limit must be at least 1');
  let held = 0;
  const waiting: (() => void)[] = [];
  let head = 0;
  return {
    acquire(granted) {
      if (held < limit) {
        held++;
        granted();
      } else {
        waiting.push(granted);
      }
    },
    release() {
      const next = waiting[head];
      if (next === undefined) {
        held = Math.max(0, held - 1);
        return;
      }
      // The slot passes straight to the next waiter; the queue is compacted now and then.
      head++;
      if (head > 1024 && head * 2 > waiting.length) {
        waiting.splice(0, head);
        head = 0;
      }
      next();
    },
  };
}
