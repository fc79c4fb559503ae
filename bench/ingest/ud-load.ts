/**
 * The load client of the ingest benchmark: one TCP connection per watch, each sending `UD`
 * reports (GPS fixes along a walk, one second apart in device time), one write a report. Two
 * modes: `saturate` keeps a fixed number of reports in flight (sent and not yet committed, as
 * the server's counter says), `pace` sends at a fixed rate.
 *
 * The client shares the machine with the server and the database, so what it spends is taken
 * from them: a report is made by filling the fields that change (date, time, latitude, steps)
 * into the watch's first report as the protocol's encoder wrote it, rather than by the encoder
 * itself (about a third of its cost). The first report of each watch, and every 256th after,
 * is checked against the encoder's, byte for byte; a difference stops the benchmark.
 */
import { connect, type Socket } from 'node:net';
import { encodeUplink } from '../../packages/protocol/src/index.ts';

/** Metres per degree of latitude, near enough for a walk. */
const METERS_PER_DEGREE = 111_320;
const STEP_METERS = 1.2;
const CONNECTS_IN_FLIGHT = 200;

/** One simulated watch: its socket and where it is on its walk. */
interface Walker {
  readonly deviceId: string;
  readonly socket: Socket;
  readonly latitude: number;
  readonly longitude: number;
  step: number;
  /** `[3G*<id>*`, and the fields of the watch's first report, filled anew for each report. */
  template?: { readonly prefix: string; readonly fields: string[] };
}

const DATE_FIELD = 1;
const TIME_FIELD = 2;
const LATITUDE_FIELD = 4;
const STEPS_FIELD = 14;
const CHECK_EVERY = 256;

export interface UdLoadOptions {
  readonly port: number;
  readonly deviceIds: readonly string[];
  /** Source addresses 127.0.0.2 .. 127.0.0.(1 + n), so no single address holds every socket. */
  readonly sourceAddresses?: number;
  /** Device time of the first report of every watch, ms since the epoch. */
  readonly startedAtMs: number;
}

export class UdLoad {
  readonly #walkers: Walker[];
  readonly #startedAtMs: number;
  #next = 0;
  #sent = 0;

  private constructor(walkers: Walker[], startedAtMs: number) {
    this.#walkers = walkers;
    this.#startedAtMs = startedAtMs;
  }

  /** Connects every watch; throws when one cannot connect. */
  static async connect(options: UdLoadOptions): Promise<UdLoad> {
    const sources = options.sourceAddresses ?? 4;
    const walkers: Walker[] = [];
    for (let at = 0; at < options.deviceIds.length; at += CONNECTS_IN_FLIGHT) {
      const slice = options.deviceIds.slice(at, at + CONNECTS_IN_FLIGHT);
      const opened = await Promise.all(
        slice.map(async (deviceId, offset) => {
          const index = at + offset;
          const socket = await open(options.port, `127.0.0.${2 + (index % sources)}`);
          return {
            deviceId,
            socket,
            latitude: 48 + (index % 100) * 0.01,
            longitude: 11 + Math.floor(index / 100) * 0.01,
            step: 0,
          };
        }),
      );
      walkers.push(...opened);
    }
    return new UdLoad(walkers, options.startedAtMs);
  }

  /** Reports written so far. */
  get sent(): number {
    return this.#sent;
  }

  /** Writes `count` reports, one watch after the other. */
  send(count: number): void {
    for (let i = 0; i < count; i++) {
      const walker = this.#walkers[this.#next] as Walker;
      this.#next = (this.#next + 1) % this.#walkers.length;
      walker.socket.write(fastUdFrame(walker, this.#startedAtMs));
      walker.step += 1;
      this.#sent += 1;
    }
  }

  /**
   * Keeps `inFlight` reports sent and not yet committed for `durationMs`, reading the committed
   * count every `pollMs`. The reports freed since the last read go out at once, so a long poll
   * makes bursts: each report waits half a poll on average before its credit is returned, and
   * the server idles between bursts (docs/benchmarks.md).
   */
  async saturate(
    committed: () => Promise<number>,
    inFlight: number,
    durationMs: number,
    pollMs: number,
  ): Promise<void> {
    const deadline = performance.now() + durationMs;
    while (performance.now() < deadline) {
      const done = await committed();
      const credit = done + inFlight - this.#sent;
      if (credit > 0) this.send(credit);
      await sleep(pollMs);
    }
  }

  /** Sends `perSecond` reports a second, spread over 10 ms ticks, for `durationMs`. */
  async pace(perSecond: number, durationMs: number): Promise<void> {
    const started = performance.now();
    let owed = 0;
    let last = started;
    while (last - started < durationMs) {
      await sleep(10);
      const now = performance.now();
      owed += ((now - last) * perSecond) / 1000;
      last = now;
      const whole = Math.floor(owed);
      this.send(whole);
      owed -= whole;
    }
  }

  close(): void {
    for (const walker of this.#walkers) walker.socket.destroy();
  }
}

/** The latitude of the walker's current step. */
function latitudeOf(walker: Walker): number {
  return walker.latitude + (walker.step * STEP_METERS) / METERS_PER_DEGREE;
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** The report of the walker's current step, as `udFrame` makes it, made faster. */
function fastUdFrame(walker: Walker, startedAtMs: number): Buffer {
  let template = walker.template;
  if (template === undefined) {
    const text = udFrame(walker, startedAtMs).toString('latin1');
    const [vendor, deviceId, , payload] = text.slice(1, -1).split('*');
    template = { prefix: `[${vendor}*${deviceId}*`, fields: (payload ?? '').split(',') };
    walker.template = template;
  }
  const { fields } = template;
  const at = new Date(startedAtMs + walker.step * 1000);
  fields[DATE_FIELD] =
    twoDigits(at.getUTCDate()) +
    twoDigits(at.getUTCMonth() + 1) +
    twoDigits(at.getUTCFullYear() % 100);
  fields[TIME_FIELD] =
    twoDigits(at.getUTCHours()) + twoDigits(at.getUTCMinutes()) + twoDigits(at.getUTCSeconds());
  let latitude = latitudeOf(walker).toFixed(6);
  if (latitude.includes('.')) latitude = latitude.replace(/0+$/, '').replace(/\.$/, '');
  fields[LATITUDE_FIELD] = latitude;
  fields[STEPS_FIELD] = String(walker.step);
  const payload = fields.join(',');
  const frame = Buffer.from(
    `${template.prefix}${payload.length.toString(16).toUpperCase().padStart(4, '0')}*${payload}]`,
    'latin1',
  );
  if (walker.step % CHECK_EVERY === 0 && !frame.equals(udFrame(walker, startedAtMs))) {
    throw new Error(`the load client's report of ${walker.deviceId} differs from the encoder's`);
  }
  return frame;
}

/** The report of the walker's current step, by the protocol's encoder. */
function udFrame(walker: Walker, startedAtMs: number): Buffer {
  return encodeUplink(
    { vendor: '3G', deviceId: walker.deviceId },
    {
      type: 'locationReport',
      location: {
        recordedAt: new Date(startedAtMs + walker.step * 1000),
        hasGnssFix: true,
        latitude: latitudeOf(walker),
        longitude: walker.longitude,
        speedKmh: 4.3,
        courseDegrees: 0,
        altitudeMeters: 520,
        satellites: 9,
        gsmSignalPercent: 80,
        batteryPercent: 90,
        steps: walker.step,
        network: { timingAdvance: 0, mcc: 262, mnc: 1, cells: [{ lac: 4, cid: 8, rssi: -70 }] },
        accuracyMeters: 8,
      },
    },
  );
}

function open(port: number, localAddress: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress, noDelay: true }, () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
      // Replies are not expected for UD; anything that comes is read and dropped.
      socket.on('data', () => undefined);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
