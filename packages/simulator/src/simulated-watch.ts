/**
 * One simulated kids' watch speaking the 3G protocol over real TCP, following the session of
 * reference §8: connect, `LK` and wait for its reply (reconnect with backoff when it does not
 * come), `UD` while walking, `AL` resent until answered, and every command acknowledged the
 * way firmware does it. Periodic work runs from `tick`, so a fleet can drive thousands of
 * watches from one timer; a lone watch runs its own single timer.
 */
import { EventEmitter } from 'node:events';
import {
  encodeUplink,
  type AlarmName,
  type FrameTarget,
  type UplinkInput,
} from '@kinwatch/protocol';
import { AlarmQueue } from './alarm-queue.ts';
import { OPEN_GATE } from './connect-gate.ts';
import { readDownlink, type WatchCommand, type WatchReply } from './downlink-reader.ts';
import { acknowledgement } from './firmware-ack.ts';
import { amrClip, tinyJpeg } from './media-samples.ts';
import { createRandom, type Random } from './seeded-random.ts';
import { Walker } from './walker.ts';
import { WatchConnection } from './watch-connection.ts';
import {
  resolveWatchOptions,
  type ResolvedWatchOptions,
  type SimulatedWatchEvents,
  type SimulatedWatchOptions,
} from './watch-options.ts';
import { buildLocation, pickSource } from './watch-report.ts';
import { ReportSchedule } from './report-schedule.ts';
import { WakeUp } from './wake-up.ts';
import { LinkKeeper } from './link-keeper.ts';
import { WireWriter } from './wire-writer.ts';

type State = 'idle' | 'waiting' | 'linking' | 'online' | 'stopped';
type LocationType = 'locationReport' | 'bufferedLocationReport' | 'alarmReport';

/** How soon a watch with bytes held back by a write misbehaviour wants its next tick. */
const WRITE_TICK_MS = 10;
const NEVER = Number.POSITIVE_INFINITY;

export class SimulatedWatch extends EventEmitter<SimulatedWatchEvents> {
  readonly deviceId: string;
  /** The last text the server put on the screen (`showText`; binding codes arrive this way). */
  lastScreenText: string | undefined;
  readonly #o: ResolvedWatchOptions;
  readonly #target: FrameTarget;
  readonly #random: Random;
  readonly #walker: Walker;
  readonly #writer: WireWriter;
  readonly #alarms: AlarmQueue;
  readonly #reports: ReportSchedule;
  readonly #link: LinkKeeper;
  readonly #wakeUp: WakeUp<SimulatedWatch>;
  #state: State = 'idle';
  #connection: WatchConnection | undefined;
  /** Counted in the shared `connected` gauge. */
  #isCounted = false;
  #failures = 0;
  #connectAtMs = NEVER;

  /** Throws RangeError for a device id that is not 5 to 20 digits. */
  constructor(options: SimulatedWatchOptions) {
    super();
    const o = resolveWatchOptions(options);
    this.#o = o;
    this.deviceId = o.deviceId;
    this.#target = { vendor: o.vendor, deviceId: o.deviceId };
    this.#random = createRandom(o.seed);
    const { route, walkingSpeedKmh: speedKmh, routeOffsetSeconds: offsetSeconds } = o;
    this.#walker = new Walker({ route, speedKmh, offsetSeconds, random: this.#random });
    // `[` vendor `*` id `*`: where the four LENGTH digits start.
    const lengthOffset = o.vendor.length + o.deviceId.length + 3;
    this.#writer = new WireWriter(o.misbehaviour, lengthOffset, this.#random);
    this.#alarms = new AlarmQueue(o.alarmRetrySeconds, o.alarmMaxAttempts);
    const { uploadIntervalSeconds, locateBurstIntervalSeconds, locateBurstCount } = o;
    this.#reports = new ReportSchedule(
      uploadIntervalSeconds,
      locateBurstIntervalSeconds,
      locateBurstCount,
      o.locateFirstFixSeconds,
    );
    this.#link = new LinkKeeper(o.heartbeatSeconds, o.linkTimeoutSeconds);
    this.#wakeUp = new WakeUp(this, o.scheduler, o.clock, () => {
      this.tick();
    });
  }

  /** Seconds between reports while walking; the server's `setUploadInterval` changes it. */
  get uploadIntervalSeconds(): number {
    return this.#reports.intervalSeconds;
  }

  /** Connected and the `LK` answered. */
  get isOnline(): boolean {
    return this.#state === 'online';
  }

  /** Connects after `delaySeconds` and keeps the session up until `stop`. */
  start(delaySeconds = 0): void {
    if (this.#state !== 'idle') return;
    const now = this.#o.clock();
    this.#walker.startAt(now);
    this.#state = 'waiting';
    this.#connectAtMs = now + delaySeconds * 1000;
    this.#reschedule(now);
  }

  /** Does whatever is due at `nowMs` (clock milliseconds). Fleet mode calls it from its timer. */
  tick(nowMs: number = this.#o.clock()): void {
    this.#wakeUp.woke();
    if (this.#state === 'stopped' || this.#state === 'idle') return;
    if (this.#state === 'waiting' && nowMs >= this.#connectAtMs) this.#connect(nowMs);
    if (this.#link.isOverdue(nowMs)) this.#disconnect('no LK reply in time', nowMs);
    if (this.#state === 'online') this.#periodic(nowMs);
    this.#writer.flush();
    this.#reschedule(nowMs);
  }

  /** Raises an alarm; resolves true once the server's `AL` reply came, false if given up. */
  raiseAlarm(kind: AlarmName): Promise<boolean> {
    const now = this.#o.clock();
    const isAnswered = this.#alarms.add(kind, now);
    if (this.#state === 'online') this.#sendDueAlarms(now);
    this.#reschedule(now);
    return isAnswered;
  }

  /** Sends a voice message (AMR bytes); false when offline. The server answers `TK,1`. */
  sendVoice(amr: Uint8Array = amrClip(2, this.#o.seed)): boolean {
    return this.#send({ type: 'voiceMessage', audio: amr });
  }

  /** Sends a photo (JPEG bytes), as a remote capture does; false when offline. */
  sendPhoto(jpeg: Uint8Array = tinyJpeg()): boolean {
    return this.#send({ type: 'photo', takenAt: new Date(this.#o.clock()), jpeg });
  }

  /**
   * Sends `count` buffered reports (`UD2`), as a watch does after a coverage gap: positions
   * from the last `count` upload intervals, oldest first. Returns how many were sent.
   */
  sendBacklog(count: number): number {
    const now = this.#o.clock();
    let sent = 0;
    for (let i = count; i > 0; i--) {
      if (
        this.#sendLocation('bufferedLocationReport', now - i * this.uploadIntervalSeconds * 1000)
      ) {
        sent++;
      }
    }
    return sent;
  }

  /** Closes the connection cleanly and stops for good; pending alarms resolve false. */
  async stop(): Promise<void> {
    this.#state = 'stopped';
    this.#wakeUp.cancel();
    this.#alarms.abandonAll();
    const connection = this.#connection;
    this.#forgetConnection();
    await connection?.close();
  }

  #connect(nowMs: number): void {
    this.#state = 'linking';
    this.#connectAtMs = NEVER;
    this.#link.connecting(nowMs);
    const connection = new WatchConnection(this.#o, this.#o.connectGate ?? OPEN_GATE, {
      opened: () => {
        this.#onOpened(connection);
      },
      frame: (bytes) => {
        this.#onFrame(bytes);
      },
      closed: () => {
        this.#disconnect('connection closed', this.#o.clock());
      },
    });
    this.#connection = connection;
  }

  #onOpened(connection: WatchConnection): void {
    const now = this.#o.clock();
    if (this.#o.stats !== undefined) this.#o.stats.connected++;
    this.#isCounted = true;
    this.#writer.attach((bytes) => connection.write(bytes));
    this.emit('connected');
    this.#sendLink(now, now);
    this.#reschedule(now);
  }

  #onFrame(frame: Buffer): void {
    const now = this.#o.clock();
    const downlink = readDownlink(frame);
    if (downlink.kind === 'reply') this.#onReply(downlink, now);
    else if (downlink.kind === 'command') this.#onCommand(downlink.command, now);
    this.#reschedule(now);
  }

  #onReply(reply: Omit<WatchReply, 'latencyMs'>, now: number): void {
    if (this.#o.stats !== undefined) this.#o.stats.repliesReceived++;
    const latencyMs = reply.name === 'linkKeepAlive' ? this.#link.answered(now) : undefined;
    if (latencyMs !== undefined) {
      this.#o.stats?.linkLatency.record(latencyMs);
      if (this.#state === 'linking') this.#goOnline(now);
    }
    if (reply.name === 'alarmReport') this.#alarms.answer();
    this.emit('reply', { ...reply, latencyMs });
  }

  #goOnline(now: number): void {
    this.#state = 'online';
    this.#failures = 0;
    this.#link.online(now);
    // A random phase, so that a fleet's reports do not all fall on the same tick.
    this.#reports.start(now, this.#random.next());
    if (this.#o.queriesVoiceOnConnect) this.#send({ type: 'voiceQuery' });
    this.#sendDueAlarms(now);
  }

  #onCommand(received: WatchCommand, now: number): void {
    if (this.#o.stats !== undefined) this.#o.stats.commandsReceived++;
    this.emit('command', received);
    const ack = acknowledgement(received, this.#o.misbehaviour);
    if (ack !== undefined) this.#send(ack);
    const command = received.command;
    switch (command.type) {
      case 'locateNow':
        this.#reports.startBurst(now);
        break;
      case 'showText':
        this.lastScreenText = command.text;
        this.emit('screenText', command.text);
        break;
      case 'takePhoto':
        this.sendPhoto();
        break;
      case 'setUploadInterval':
        this.#reports.changeInterval(command.intervalSeconds, now);
        break;
      default:
        break;
    }
  }

  #periodic(now: number): void {
    // Latency counts from when the LK was due, so a stalled simulator cannot hide a slow server.
    const heartbeatDueAt = this.#link.takeDueHeartbeat(now);
    if (heartbeatDueAt !== undefined) {
      this.#sendLink(this.#wakeUp.intendedTimeOf(heartbeatDueAt, now), now);
    }
    const { isIntervalDue, isBurstDue } = this.#reports.takeDue(now);
    // Firmware reports on the interval only while moving (reference §4.2).
    const isMoving = isIntervalDue && this.#walker.positionAt(now).isMoving;
    if (isMoving || isBurstDue) this.#sendLocation('locationReport', now);
    this.#sendDueAlarms(now);
  }

  #sendLink(intendedMs: number, now: number): void {
    this.#link.sent(intendedMs, now);
    const { steps, batteryPercent } = this.#walker.countersAt(now);
    this.#send({ type: 'linkKeepAlive', steps, tumbles: 0, batteryPercent });
  }

  #sendDueAlarms(now: number): void {
    for (const kind of this.#alarms.takeDue(now)) this.#sendLocation('alarmReport', now, kind);
  }

  #sendLocation(type: LocationType, atMs: number, alarm?: AlarmName): boolean {
    const source = pickSource(this.#o.reportMode, this.#random);
    const position = this.#walker.positionAt(atMs);
    const counters = this.#walker.countersAt(atMs);
    const location = buildLocation(position, source, new Date(atMs), counters, this.#random);
    const alarms = alarm === undefined ? [] : [alarm];
    return this.#send({ type, location: { ...location, alarms } });
  }

  #send(message: UplinkInput): boolean {
    if (this.#connection?.isOpen !== true) return false;
    this.#writer.send(encodeUplink(this.#target, message));
    if (this.#o.stats !== undefined) this.#o.stats.framesSent++;
    return true;
  }

  #disconnect(reason: string, now: number): void {
    const wasOpen = this.#connection?.isOpen === true;
    this.#connection?.destroy();
    this.#forgetConnection();
    if (wasOpen) this.emit('disconnected', reason);
    if (this.#state === 'stopped') return;
    if (this.#o.stats !== undefined) this.#o.stats.reconnects++;
    const { reconnectMinSeconds: min, reconnectMaxSeconds: max } = this.#o;
    const backoffSeconds =
      Math.min(max, min * 2 ** this.#failures++) * this.#random.between(0.5, 1);
    this.#state = 'waiting';
    this.#connectAtMs = now + backoffSeconds * 1000;
    this.#reschedule(now);
  }

  #forgetConnection(): void {
    if (this.#isCounted && this.#o.stats !== undefined) this.#o.stats.connected--;
    this.#isCounted = false;
    this.#connection = undefined;
    this.#writer.detach();
    this.#link.clear();
    this.#reports.clear();
  }

  /** Asks to be woken at the earliest moment something is due. */
  #reschedule(now: number): void {
    if (this.#state === 'stopped') return;
    let next = Math.min(this.#connectAtMs, this.#link.nextDueMs());
    if (this.#state === 'online') {
      next = Math.min(next, this.#reports.nextDueMs(), this.#alarms.nextDueMs());
    }
    if (this.#writer.hasPending) next = Math.min(next, now + WRITE_TICK_MS);
    this.#wakeUp.at(next);
  }
}
