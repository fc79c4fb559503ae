import { once } from 'node:events';
import { SimulatedWatch, type Route } from '@kinwatch/simulator';

let nextDeviceId = 8_800_100_000 + (process.pid % 10_000) * 10;

/** A device id no other test of this process uses. */
export function freshDeviceId(): string {
  nextDeviceId += 1;
  return String(nextDeviceId);
}

/**
 * A simulated watch over real TCP, reporting GPS fixes often so that tests see it move
 * within seconds. `route` (default: a short walk) and `walkingSpeedKmh` shape where it goes.
 */
export async function startWatch(
  gatewayPort: number,
  options: {
    deviceId?: string;
    route?: Route;
    walkingSpeedKmh?: number;
    uploadIntervalSeconds?: number;
    locateFirstFixSeconds?: number;
  } = {},
): Promise<SimulatedWatch> {
  const watch = new SimulatedWatch({
    host: '127.0.0.1',
    port: gatewayPort,
    deviceId: options.deviceId ?? freshDeviceId(),
    uploadIntervalSeconds: options.uploadIntervalSeconds ?? 2,
    heartbeatSeconds: 30,
    reportMode: 'gps',
    walkingSpeedKmh: options.walkingSpeedKmh ?? 30,
    reconnectMinSeconds: 1,
    reconnectMaxSeconds: 2,
    ...(options.route ? { route: options.route } : {}),
    ...(options.locateFirstFixSeconds === undefined
      ? {}
      : { locateFirstFixSeconds: options.locateFirstFixSeconds }),
  });
  const connected = once(watch, 'connected');
  watch.start();
  await connected;
  return watch;
}

/** The next text the server shows on the watch (the binding code arrives this way). */
export async function nextScreenText(watch: SimulatedWatch, timeoutMs = 15_000): Promise<string> {
  const [text] = (await once(watch, 'screenText', { signal: AbortSignal.timeout(timeoutMs) })) as [
    string,
  ];
  return text;
}

/** The 6-digit binding code in a screen text. */
export function codeIn(text: string): string {
  const code = /(\d{6})/.exec(text)?.[1];
  if (code === undefined) throw new Error(`no code on the watch's screen: ${text}`);
  return code;
}
