/**
 * The baseline of the alarm benchmark: Mosquitto relaying a message from one connection to
 * another, both at QoS 1 (the publisher's message is acknowledged by the broker, the broker's
 * delivery by the subscriber), as a broker-based alarm path would carry it.
 */
import { randomBytes } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';

export interface MqttRelay {
  /** Publishes `payload` at QoS 1; resolves once the call was made (not when acknowledged). */
  publish(payload: Buffer): void;
  close(): Promise<void>;
}

/**
 * Connects a subscriber and a publisher to the broker at 127.0.0.1:`port` on a topic of their
 * own; `onMessage` gets each payload the subscriber receives and when (performance.now()).
 */
export async function connectRelay(
  port: number,
  onMessage: (payload: Buffer, at: number) => void,
): Promise<MqttRelay> {
  const topic = `kinwatch-bench/${randomBytes(6).toString('hex')}/alarm`;
  const options = { host: '127.0.0.1', port, protocolVersion: 4 as const, reconnectPeriod: 0 };
  const subscriber: MqttClient = await connectAsync({
    ...options,
    clientId: `kw-sub-${randomBytes(4).toString('hex')}`,
  });
  subscriber.on('message', (_topic: string, payload: Buffer) => {
    onMessage(payload, performance.now());
  });
  await subscriber.subscribeAsync(topic, { qos: 1 });
  const publisher: MqttClient = await connectAsync({
    ...options,
    clientId: `kw-pub-${randomBytes(4).toString('hex')}`,
  });
  // Both ends of a Kinwatch path send at once (Nagle off); so do the MQTT clients.
  for (const client of [subscriber, publisher]) {
    const stream = client.stream as unknown as { setNoDelay?: (noDelay: boolean) => void };
    stream.setNoDelay?.(true);
  }
  return {
    publish(payload) {
      publisher.publish(topic, payload, { qos: 1 });
    },
    async close() {
      await Promise.all([publisher.endAsync(true), subscriber.endAsync(true)]);
    },
  };
}
