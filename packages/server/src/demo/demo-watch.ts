import { connect, type Socket } from 'node:net';
import { encodeFrame } from '@kinwatch/protocol';

/** Where the demo child walks: a loop around a park, in metres from its centre. */
const CENTRE = { latitude: 51.5033, longitude: -0.1196 };
const RADIUS_METERS = 250;
const METERS_PER_DEGREE = 111_320;
/** A slow walk: one lap of the loop in about 20 minutes. */
const LAP_SECONDS = 1_200;

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * A simulated watch for a demo family: it connects to the gateway over TCP like a real watch,
 * sends a keep-alive and a GPS location report every interval, and answers nothing else.
 */
export class DemoWatch {
  readonly #deviceId: string;
  readonly #port: number;
  readonly #intervalMs: number;
  readonly #startedAt = Date.now();
  #socket: Socket | undefined;
  #timer: NodeJS.Timeout | undefined;
  #battery = 87;

  constructor(deviceId: string, gatewayPort: number, intervalMs = 10_000) {
    this.#deviceId = deviceId;
    this.#port = gatewayPort;
    this.#intervalMs = intervalMs;
  }

  start(): void {
    this.#connect();
    this.#timer = setInterval(() => {
      this.#report();
    }, this.#intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#socket?.destroy();
    this.#socket = undefined;
  }

  #connect(): void {
    const socket = connect({ host: '127.0.0.1', port: this.#port });
    socket.on('error', () => {
      // The next report reconnects; a demo watch never takes anything down.
    });
    socket.on('close', () => {
      if (this.#socket === socket) this.#socket = undefined;
    });
    socket.on('data', () => undefined);
    this.#socket = socket;
    this.#send(`LK,0,0,${this.#battery}`);
    this.#report();
  }

  #report(): void {
    if (this.#socket === undefined) {
      this.#connect();
      return;
    }
    this.#send(this.#locationReport(new Date()));
  }

  #send(content: string): void {
    this.#socket?.write(encodeFrame({ vendor: '3G', deviceId: this.#deviceId }, content));
  }

  #locationReport(now: Date): string {
    const elapsed = (now.getTime() - this.#startedAt) / 1000;
    const angle = (2 * Math.PI * elapsed) / LAP_SECONDS;
    const north = RADIUS_METERS * Math.sin(angle);
    const east = RADIUS_METERS * Math.cos(angle);
    const latitude = CENTRE.latitude + north / METERS_PER_DEGREE;
    const longitude =
      CENTRE.longitude + east / (METERS_PER_DEGREE * Math.cos((CENTRE.latitude * Math.PI) / 180));
    const date = `${twoDigits(now.getUTCDate())}${twoDigits(now.getUTCMonth() + 1)}${twoDigits(now.getUTCFullYear() % 100)}`;
    const time = `${twoDigits(now.getUTCHours())}${twoDigits(now.getUTCMinutes())}${twoDigits(now.getUTCSeconds())}`;
    const latitudeText = Math.abs(latitude).toFixed(6);
    const longitudeText = Math.abs(longitude).toFixed(6);
    const course = ((((angle * 180) / Math.PI + 90) % 360) + 360) % 360;
    return (
      `UD,${date},${time},A,${latitudeText},${latitude >= 0 ? 'N' : 'S'},` +
      `${longitudeText},${longitude >= 0 ? 'E' : 'W'},4.5,${course.toFixed(1)},20,9,80,${this.#battery},` +
      `${Math.floor(elapsed)},0,00000000,1,1,234,10,1234,5678,150,0,8.0`
    );
  }
}
